using System.Diagnostics.CodeAnalysis;

// The feature folder is Imports (DESIGN §4.1); "Imports" is a Visual Basic keyword, and no VB code will ever call this host.
[assembly: SuppressMessage("Naming", "CA1716:Identifiers should not match keywords", Justification = "Feature folder name; C# only.", Scope = "namespace", Target = "~N:Dunwell.Features.Imports")]
