using System.Diagnostics.CodeAnalysis;

// Tests mirror the feature folder Imports; "Imports" is a Visual Basic keyword, and no VB code calls these tests.
[assembly: SuppressMessage("Naming", "CA1716:Identifiers should not match keywords", Justification = "Mirrors the feature folder name.", Scope = "namespace", Target = "~N:Dunwell.Tests.Features.Imports")]
