using System.Globalization;

namespace Dunwell.Features.Imports;

/// <summary>
/// A seam for the crash test only (ImportCrashTests): with <c>DUNWELL_TEST_IMPORT_PAUSE=POINT;FILE</c> in the
/// environment, an import that reaches POINT creates FILE and stands still there until the test kills the process with
/// SIGKILL. Points: <c>line:N</c> (about to apply the row on file line N), <see cref="Recorded"/> (rows, run and audit
/// event written, not committed) and <see cref="Committed"/>. Without the variable every call is one null check.
/// </summary>
internal static class ImportPause
{
    public const string Variable = "DUNWELL_TEST_IMPORT_PAUSE";
    public const string Recorded = "recorded";
    public const string Committed = "committed";

    private static readonly string[]? Configured = Environment.GetEnvironmentVariable(Variable)?.Split(';', 2) is [var point, var file] ? [point, file] : null;

    public static void AtLine(int line)
    {
        if (Configured is not null)
        {
            At(string.Create(CultureInfo.InvariantCulture, $"line:{line}"));
        }
    }

    public static void At(string point)
    {
        if (Configured is not [var wanted, var file] || !string.Equals(wanted, point, StringComparison.Ordinal))
        {
            return;
        }

        File.WriteAllText(file, point);

        // The test kills the process within moments; if nobody does, do not hang for ever.
        Thread.Sleep(TimeSpan.FromMinutes(2));
        Environment.Exit(99);
    }
}
