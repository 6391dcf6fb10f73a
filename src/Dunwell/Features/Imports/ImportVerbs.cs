using System.CommandLine;
using System.Globalization;
using Dunwell.Data;
using Dunwell.Web;

namespace Dunwell.Features.Imports;

/// <summary><c>dunwell import placements FILE [--skip-invalid]</c> and <c>dunwell import payments FILE [--skip-invalid]</c>.</summary>
internal static class ImportVerbs
{
    /// <summary>Exit code for "the file was rejected and nothing was applied".</summary>
    public const int Rejected = 2;

    public static Command Command()
    {
        var import = new Command("import", "Load a placement or payment CSV file (columns: docs/guide.md, section Files).");
        foreach (var kind in new[] { ImportPlacements.Kind, ImportPayments.Kind })
        {
            var file = new Argument<FileInfo>("FILE") { Description = "The CSV file (UTF-8, RFC 4180)." };
            var skipInvalid = new Option<bool>("--skip-invalid") { Description = "Apply the good rows and report the bad ones, instead of rejecting the file." };
            var command = new Command(kind, $"Import a {kind[..^1]} file; re-importing the same file changes nothing.") { file, skipInvalid };

            // Host settings (--Dunwell:Database:ConnectionString=...) pass through to the host, as for serve.
            command.TreatUnmatchedTokensAsErrors = false;
            command.SetAction(async (result, ct) =>
            {
                if (StrayArgument(result.UnmatchedTokens) is { } stray)
                {
                    await Console.Error.WriteLineAsync($"dunwell: unexpected argument '{stray}'");
                    return 1;
                }

                return await Cli.RunVerbAsync(
                    (services, token) => RunAsync(services, kind, result.GetValue(file)!, result.GetValue(skipInvalid), Console.Out, Console.Error, token),
                    ct,
                    [.. result.UnmatchedTokens]);
            });
            import.Subcommands.Add(command);
        }

        return import;
    }

    /// <summary>Extra tokens may only be host settings (--Key=value); anything else is a mistake worth a one-line refusal.</summary>
    public static string? StrayArgument(IReadOnlyList<string> unmatched) =>
        unmatched.FirstOrDefault(t => !t.StartsWith("--", StringComparison.Ordinal) || !t.Contains('=', StringComparison.Ordinal));

    public static async Task<int> RunAsync(
        IServiceProvider services, string kind, FileInfo file, bool skipInvalid, TextWriter output, TextWriter progressOutput, CancellationToken cancellationToken)
    {
        if (!file.Exists)
        {
            throw new VerbException($"no such file: {file.Name}");
        }

        var db = services.GetRequiredService<DunwellDb>();
        var clock = services.GetRequiredService<TimeProvider>();
        var progress = new ProgressLine(progressOutput, clock, interactive: ReferenceEquals(progressOutput, Console.Error) && !Console.IsErrorRedirected);
        var options = new ImportOptions(file.Name, "system:cli", skipInvalid, progress, file.Length);

        ImportReport report;
        await using (var stream = new FileStream(file.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan | FileOptions.Asynchronous))
        {
            report = kind == ImportPlacements.Kind
                ? await ImportPlacements.RunAsync(db, clock, stream, options, cancellationToken)
                : await ImportPayments.RunAsync(db, clock, stream, options, cancellationToken);
        }

        progress.Done();
        await WriteSummaryAsync(output, report);
        if (!report.Applied)
        {
            throw new VerbException($"file rejected: {report.Rejected} bad row(s); nothing was applied (use --skip-invalid to apply the good rows)", Rejected);
        }

        return 0;
    }

    public static async Task WriteSummaryAsync(TextWriter output, ImportReport report)
    {
        var c = CultureInfo.InvariantCulture;
        await output.WriteLineAsync(string.Create(c,
            $"Import {report.RunId} ({report.Kind}): {report.Rows} rows: {report.Created} created, {report.Updated} updated, {report.Unchanged} unchanged, {report.Rejected} rejected."));
        if (report.Kind == ImportPlacements.Kind)
        {
            await output.WriteLineAsync(string.Create(c,
                $"Creditors created: {report.CreditorsCreated}. Debtors created: {report.DebtorsCreated}, updated: {report.DebtorsUpdated}."));
        }

        foreach (var warning in report.Warnings)
        {
            await output.WriteLineAsync($"Warning: {warning}");
        }

        if (report.Errors.Count > 0)
        {
            await output.WriteLineAsync(report.Applied ? "Skipped rows:" : "Rejected rows (nothing was applied):");
            foreach (var error in report.Errors)
            {
                await output.WriteLineAsync(string.Create(c, $"  line {error.Line}, {error.Column}: {error.Reason}"));
            }
        }
    }

    /// <summary>
    /// Rows, rows per second and the time left, on stderr: rewritten in place on a terminal, a plain line every
    /// ten seconds when redirected (so a log stays readable).
    /// </summary>
    private sealed class ProgressLine(TextWriter output, TimeProvider clock, bool interactive) : IProgress<ImportProgress>
    {
        private readonly long _started = clock.GetTimestamp();
        private TimeSpan _lastShown;
        private bool _shown;

        public void Report(ImportProgress value)
        {
            var elapsed = clock.GetElapsedTime(_started);
            if (elapsed - _lastShown < (interactive ? TimeSpan.FromMilliseconds(500) : TimeSpan.FromSeconds(10)))
            {
                return;
            }

            _lastShown = elapsed;
            var rate = value.Rows / Math.Max(elapsed.TotalSeconds, 0.001);
            var line = string.Create(CultureInfo.InvariantCulture, $"{value.Rows:N0} rows, {rate:N0} rows/s");
            if (value.TotalBytes is > 0 and var total && value.BytesRead > 0)
            {
                var fraction = Math.Min(1.0, (double)value.BytesRead / total);
                var left = TimeSpan.FromSeconds(elapsed.TotalSeconds * (1 - fraction) / Math.Max(fraction, 0.0001));
                line += string.Create(CultureInfo.InvariantCulture, $", {fraction:P0}, ETA {left:hh\\:mm\\:ss}");
            }

            output.Write(interactive ? $"\r{line}   " : line + Environment.NewLine);
            _shown = true;
        }

        public void Done()
        {
            if (_shown && interactive)
            {
                output.WriteLine();
            }
        }
    }
}
