using System.Diagnostics;
using System.Globalization;
using Dunwell.Domain.Ledger;
using Dunwell.Features.Generate;
using Dunwell.Features.Imports;
using Dunwell.Tests.Support;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using static Dunwell.Tests.Features.Imports.ImportKit;

namespace Dunwell.Tests.Cli;

/// <summary>
/// DESIGN §7 "a crash at any point of import loses nothing": the real <c>dunwell import</c> executable, killed with
/// SIGKILL at 20 rows spread over a placement file and at the points around its commit, then at points of a payment
/// file. After every kill the database holds nothing of that import or all of it, with its run and audit event; the
/// next run of the same import is the rerun (it gets past the point where the last one died), and a final run completes
/// and, after a kill behind the commit, changes nothing. The kill points come from the <see cref="ImportPause"/> seam.
/// </summary>
[Trait("Category", "Crash")]
public sealed class ImportCrashTests : IDisposable
{
    private const int Accounts = 3000;
    private const int LinePoints = 20;

    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("dunwell-crash-");

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public void Dispose() => _directory.Delete(recursive: true);

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task An_import_killed_at_any_point_leaves_all_of_itself_or_nothing_and_runs_again_to_completion(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Instant.FromUtc(2026, 3, 2, 9, 0)); // migrates, and reads what the kills left
        var placements = new FileInfo(Path.Combine(_directory.FullName, "placements.csv"));
        var payments = new FileInfo(Path.Combine(_directory.FullName, "payments.csv"));
        await GenerateVerbs.WriteAsync(placements, payments, Accounts, seed: 9, new LocalDate(2026, 1, 31), Cancel);
        var empty = await SnapshotAsync(app);

        // Placements: killed at 20 rows from the first to the last, and with everything written but not committed.
        var lines = Enumerable.Range(0, LinePoints).Select(i => 2 + (i * (Accounts - 1) / (LinePoints - 1)));
        foreach (var point in lines.Select(Line).Append(ImportPause.Recorded))
        {
            await KillAtAsync(database, ImportPlacements.Kind, placements, point);
            Assert.Equal(empty, await SnapshotAsync(app));
            Assert.Empty(await RunsAsync(app, ImportPlacements.Kind));
        }

        // Killed just after the commit: everything is there, with its run and audit event.
        await KillAtAsync(database, ImportPlacements.Kind, placements, ImportPause.Committed);
        var loaded = await SnapshotAsync(app);
        Assert.Equal((Accounts, Accounts), (loaded.Accounts, loaded.Entries)); // each account with its opening charge
        Assert.Equal([(Accounts, 0)], await RunsAsync(app, ImportPlacements.Kind));

        // The rerun completes and changes nothing.
        await RunAsync(database, ImportPlacements.Kind, placements);
        Assert.Equal(loaded, await SnapshotAsync(app));
        Assert.Equal([(Accounts, 0), (0, Accounts)], await RunsAsync(app, ImportPlacements.Kind));

        // Payments the same way, at fewer points (the same runner; what differs is the applier and the arrangements step).
        var paymentRows = File.ReadLines(payments.FullName).Count() - 1;
        foreach (var point in new[] { Line(2), Line(1 + paymentRows), ImportPause.Recorded })
        {
            await KillAtAsync(database, ImportPayments.Kind, payments, point);
            Assert.Equal(loaded, await SnapshotAsync(app));
            Assert.Empty(await RunsAsync(app, ImportPayments.Kind));
        }

        await KillAtAsync(database, ImportPayments.Kind, payments, ImportPause.Committed);
        var paid = await SnapshotAsync(app);
        Assert.Equal(paymentRows, paid.Entries - loaded.Entries);
        Assert.Equal(paymentRows, await app.WithDbAsync(db => db.Ledger.CountAsync(e => e.Kind == LedgerEntryKind.Payment, Cancel)));
        Assert.Equal([(paymentRows, 0)], await RunsAsync(app, ImportPayments.Kind));

        await RunAsync(database, ImportPayments.Kind, payments);
        Assert.Equal(paid, await SnapshotAsync(app));
        Assert.Equal([(paymentRows, 0), (0, paymentRows)], await RunsAsync(app, ImportPayments.Kind));
    }

    private static string Line(int line) => string.Create(CultureInfo.InvariantCulture, $"line:{line}");

    /// <summary>The runs of one kind as (created, unchanged), each checked to have the one audit event that names it.</summary>
    private static Task<(int Created, int Unchanged)[]> RunsAsync(TestApp app, string kind) => app.WithDbAsync(async db =>
    {
        var action = "import." + kind;
        var runs = await db.ImportRuns.Where(r => r.Kind == kind).OrderBy(r => r.Id).ToListAsync(Cancel);
        var subjects = await db.AuditEvents.Where(e => e.Action == action).OrderBy(e => e.Id).Select(e => e.Subject).ToListAsync(Cancel);
        Assert.Equal(runs.Select(r => $"import:{r.Id}"), subjects);
        return runs.Select(r => (r.Created, r.Unchanged)).ToArray();
    });

    /// <summary>Runs the import until it reaches <paramref name="point"/>, then kills it with SIGKILL.</summary>
    private async Task KillAtAsync(TestDatabase database, string kind, FileInfo file, string point)
    {
        var signal = Path.Combine(_directory.FullName, "paused");
        using var process = Start(database, kind, file, $"{point};{signal}");
        _ = process.StandardOutput.ReadToEndAsync(Cancel);
        var stderr = process.StandardError.ReadToEndAsync(Cancel);
        var deadline = Stopwatch.StartNew();
        while (!File.Exists(signal) && !process.HasExited && deadline.Elapsed < TimeSpan.FromMinutes(2))
        {
            await Task.Delay(20, Cancel);
        }

        Assert.True(File.Exists(signal), $"dunwell never reached {point} (exited: {process.HasExited}): {(process.HasExited ? await stderr : "")}");
        process.Kill(); // SIGKILL: no finally block, no dispose, no rollback runs in the child
        await process.WaitForExitAsync(Cancel);
        File.Delete(signal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(128 + 9, process.ExitCode);
        }
    }

    private static async Task RunAsync(TestDatabase database, string kind, FileInfo file)
    {
        using var process = Start(database, kind, file, pause: null);
        _ = process.StandardOutput.ReadToEndAsync(Cancel);
        var stderr = process.StandardError.ReadToEndAsync(Cancel);
        await process.WaitForExitAsync(Cancel);
        Assert.True(process.ExitCode == 0, $"dunwell import {kind} exited {process.ExitCode}: {await stderr}");
    }

    private static Process Start(TestDatabase database, string kind, FileInfo file, string? pause)
    {
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "dunwell.exe" : "dunwell"))
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "import", kind, file.FullName,
            $"--Dunwell:Database:Provider={database.Provider}", $"--Dunwell:Database:ConnectionString={database.ConnectionString}",
        })
        {
            start.ArgumentList.Add(argument);
        }

        if (pause is not null)
        {
            start.Environment[ImportPause.Variable] = pause;
        }

        return Process.Start(start) ?? throw new InvalidOperationException("dunwell did not start.");
    }
}
