using System.Diagnostics;
using System.Globalization;
using Dunwell.Data;
using Dunwell.Features.Arrangements;
using Dunwell.Features.Generate;
using Dunwell.Features.Imports;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Dunwell.Bench;

/// <summary>
/// Arrangement evaluation on SQLite. A portfolio is imported with the real import code (placements, then the generator's
/// payment file), one account in ten gets an active promise, plan or settlement written the way proposing and
/// activating it would, with payments for some of its instalments. Then: a plain ADO.NET read of the rows evaluation
/// reads, the real <see cref="EvaluateArrangements.RunAsync"/> for one date (what <c>dunwell arrangements evaluate
/// --date</c> runs), the same date again, and the plain read of the rows the second evaluation reads.
/// </summary>
internal static class EvaluateBench
{
    /// <summary>The placement file's as-of date: due dates and the generator's payments fall before it.</summary>
    internal static readonly LocalDate PlacedAsOf = new(2026, 1, 31);

    /// <summary>The date evaluated; arrangements were made in the 55 days before it.</summary>
    private static readonly LocalDate Date = new(2026, 3, 31);

    public static async Task RunAsync(DirectoryInfo directory, int accounts)
    {
        var path = Path.Combine(directory.FullName, "evaluate.db");
        var phases = new List<Phase>();
        await BuildPortfolioAsync(directory, path, accounts, phases);

        Expected? expected = null;
        phases.Add(await Phase.MeasureAsync("seed arrangements", async () => expected = await ArrangementSeeder.SeedAsync(path, accounts / 10, Date, seed: 7)));
        Console.WriteLine(expected!.Describe());

        // What is measured. Before each phase: no pooled connections (their page caches) and a compacted, returned heap,
        // so each phase's working set is its own plus the runtime's.
        var readBefore = await MeasuredRead("plain read");
        var before = await Fingerprint.TakeAsync(path);

        EvaluationSummary? first = null, again = null;
        var evaluate = await Measured("evaluate", async () => first = await EvaluateAsync(path));
        var afterFirst = await Fingerprint.TakeAsync(path);
        var evaluateAgain = await Measured("evaluate again", async () => again = await EvaluateAsync(path));
        var afterAgain = await Fingerprint.TakeAsync(path);
        var readAfter = await MeasuredRead("plain read (still active)");

        Console.WriteLine();
        Console.WriteLine($"first:  {Describe(first!)}");
        Console.WriteLine($"again:  {Describe(again!)}");
        var firstMatches = first == expected.First;
        var againMatches = again == expected.Again;
        var unchanged = afterAgain.Changes(afterFirst).Length == 0;
        Console.WriteLine($"first evaluation matches the domain function applied to the seeded rows: {(firstMatches ? "yes" : "NO, expected " + Describe(expected.First))}");
        Console.WriteLine($"second evaluation: {(againMatches ? "as expected" : "NO, expected " + Describe(expected.Again))}; database unchanged by it: {(unchanged ? "yes" : "NO")}");
        if (!unchanged)
        {
            Console.WriteLine($"  changed by the second: {afterAgain.Changes(afterFirst)}");
        }

        Console.WriteLine($"rows written by the first evaluation: {afterFirst.Changes(before)}");
        Console.WriteLine($"plain read before: {readBefore.Rows}");
        Console.WriteLine($"plain read after:  {readAfter.Rows}");
        Console.WriteLine();

        var arrangements = expected.Arrangements;
        foreach (var phase in phases)
        {
            Console.WriteLine(Line(phase, accounts, "accounts"));
        }

        Console.WriteLine(Line(readBefore.Phase, arrangements, "arrangements"));
        Console.WriteLine(Line(evaluate, arrangements, "arrangements"));
        Console.WriteLine(Line(evaluateAgain, again!.Evaluated, "arrangements"));
        Console.WriteLine(Line(readAfter.Phase, again.Evaluated, "arrangements"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"evaluate / plain read: {evaluate.Elapsed / readBefore.Phase.Elapsed:N1}x; evaluate again / plain read (still active): {evaluateAgain.Elapsed / readAfter.Phase.Elapsed:N1}x"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"process peak working set: {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:N0} MiB; database {new FileInfo(path).Length / 1048576.0:N0} MiB"));
        if (!firstMatches || !againMatches || !unchanged)
        {
            throw new InvalidOperationException("The evaluation did not do what the seeded data says it should.");
        }

        static async Task<Phase> Measured(string name, Func<Task> work)
        {
            Settle();
            return await Phase.MeasureAsync(name, work);
        }

        async Task<(Phase Phase, PlainRead.Counts Rows)> MeasuredRead(string name)
        {
            PlainRead.Counts? rows = null;
            var phase = await Measured(name, async () => rows = await PlainRead.RunAsync(path));
            return (phase, rows!);
        }
    }

    /// <summary>
    /// The portfolio both the evaluation and the eligibility benchmarks start from, built with the real code: the
    /// generator's placement and payment files (seed 42, as of <see cref="PlacedAsOf"/>) imported into a fresh SQLite
    /// database at <paramref name="path"/>. Each step is timed into <paramref name="phases"/>, so a slow machine shows.
    /// </summary>
    internal static async Task BuildPortfolioAsync(DirectoryInfo directory, string path, int accounts, List<Phase> phases)
    {
        var placements = new FileInfo(Path.Combine(directory.FullName, "placements.csv"));
        var payments = new FileInfo(Path.Combine(directory.FullName, "payments.csv"));
        phases.Add(await Phase.MeasureAsync("generate", () => GenerateVerbs.WriteAsync(placements, payments, accounts, seed: 42, PlacedAsOf, CancellationToken.None)));
        await using var db = await OpenAsync(path, migrate: true);
        ImportReport? placed = null, paid = null;
        phases.Add(await Phase.MeasureAsync("import placements", async () => placed = await ImportAsync(db, placements, ImportPlacements.RunAsync)));
        phases.Add(await Phase.MeasureAsync("import payments", async () => paid = await ImportAsync(db, payments, ImportPayments.RunAsync)));
        Console.WriteLine($"imported {placed!.Created:N0} accounts and {paid!.Created:N0} earlier payments (rejected {placed.Rejected + paid.Rejected:N0})");
    }

    private static string Describe(EvaluationSummary s) =>
        $"evaluated {s.Evaluated:N0}: kept {s.Kept:N0}, completed {s.Completed:N0}, broken {s.Broken:N0}, defaulted {s.Defaulted:N0}; tasks opened {s.TasksOpened:N0}";

    internal static string Line(Phase phase, int items, string unit) => string.Create(CultureInfo.InvariantCulture,
        $"{phase.Name,-26} {phase.Elapsed.TotalSeconds,8:N2} s  {items / phase.Elapsed.TotalSeconds,10:N0} {unit}/s  working set {phase.StartWorkingSet / 1048576.0,5:N0} → peak {phase.PeakWorkingSet / 1048576.0,5:N0} MiB  peak GC heap {phase.PeakManaged / 1048576.0,5:N0} MiB  allocated {phase.Allocated / 1048576.0,7:N0} MiB  load {phase.LoadMin:N1}–{phase.LoadMax:N1}");

    /// <summary>The evaluation as the CLI verb runs it: a context configured as the app configures it, all accounts, one date.</summary>
    private static async Task<EvaluationSummary> EvaluateAsync(string path)
    {
        await using var db = await OpenAsync(path, migrate: false);
        var now = Date.At(new LocalTime(22, 0)).InUtc().ToInstant();
        return await EvaluateArrangements.RunAsync(db, Date, null, "system:evaluate", now, CancellationToken.None);
    }

    internal static async Task<SqliteDunwellDb> OpenAsync(string path, bool migrate)
    {
        var options = new DbContextOptionsBuilder<SqliteDunwellDb>();
        DatabaseSetup.ConfigureSqlite(options, $"Data Source={path}");
        var db = new SqliteDunwellDb(options.Options, CreditorScope.Unrestricted());
        if (migrate)
        {
            await DatabaseSetup.MigrateAsync(db, CancellationToken.None);
        }

        return db;
    }

    private static async Task<ImportReport> ImportAsync(
        DunwellDb db, FileInfo file, Func<DunwellDb, TimeProvider, Stream, ImportOptions, CancellationToken, Task<ImportReport>> import)
    {
        await using var stream = new FileStream(file.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan | FileOptions.Asynchronous);
        return await import(db, TimeProvider.System, stream, new ImportOptions(file.Name, "system:bench", SkipInvalid: false), CancellationToken.None);
    }

    /// <summary>Closes pooled connections and gives the heap back to the system, so the next phase starts from a known floor.</summary>
    internal static void Settle()
    {
        SqliteConnection.ClearAllPools();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
    }
}

/// <summary>
/// The floor to compare with: the rows an evaluation reads (active arrangements, their instalments, their accounts and
/// every ledger entry of those accounts), read with a plain ADO.NET reader in one read transaction, every value taken
/// out as the .NET type SQLite stores it as (text as strings, no parsing into dates or enums), nothing else done.
/// </summary>
internal static class PlainRead
{
    public sealed record Counts(long Arrangements, long Instalments, long Accounts, long LedgerEntries)
    {
        public long Total => Arrangements + Instalments + Accounts + LedgerEntries;

        public override string ToString() => string.Create(CultureInfo.InvariantCulture,
            $"{Arrangements:N0} arrangements, {Instalments:N0} instalments, {Accounts:N0} accounts, {LedgerEntries:N0} ledger entries ({Total:N0} rows)");
    }

    private const string Active = "WHERE a.state = 'Active'";

    public static async Task<Counts> RunAsync(string path)
    {
        await using var connection = new SqliteConnection($"Data Source={path}");
        await connection.OpenAsync();
        DatabaseSetup.ApplySqlitePragmas(connection);
        await using var transaction = connection.BeginTransaction(deferred: true);
        return new Counts(
            await ReadAsync(connection, $"SELECT a.* FROM arrangements a {Active} ORDER BY a.id"),
            await ReadAsync(connection, $"SELECT i.* FROM arrangements a JOIN arrangement_instalments i ON i.arrangement_id = a.id {Active}"),
            await ReadAsync(connection, $"SELECT c.* FROM arrangements a JOIN accounts c ON c.id = a.account_id {Active}"),
            await ReadAsync(connection, $"SELECT e.* FROM arrangements a JOIN ledger_entries e ON e.account_id = a.account_id {Active}"));
    }

    internal static async Task<long> ReadAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        long rows = 0, checksum = 0;
        while (await reader.ReadAsync())
        {
            rows++;
            for (var i = 0; i < reader.FieldCount; i++)
            {
                checksum += reader.IsDBNull(i) ? 0
                    : reader.GetFieldType(i) == typeof(long) ? reader.GetInt64(i)
                    : reader.GetFieldType(i) == typeof(byte[]) ? reader.GetFieldValue<byte[]>(i).Length
                    : reader.GetString(i).Length;
            }
        }

        GC.KeepAlive(checksum);
        return rows;
    }
}

/// <summary>Row counts and states that any write of an evaluation would move: to show what it wrote, and that a second run wrote nothing.</summary>
internal sealed class Fingerprint(SortedDictionary<string, string> values)
{
    private static readonly string[] Queries =
    [
        "SELECT 'work_tasks', count(*) || ' max id ' || coalesce(max(id), 0) FROM work_tasks",
        "SELECT 'interactions', count(*) || ' max id ' || coalesce(max(id), 0) FROM interactions",
        "SELECT 'ledger_entries', count(*) || ' max id ' || coalesce(max(id), 0) FROM ledger_entries",
        "SELECT 'outbox_messages', count(*) || ' max id ' || coalesce(max(id), 0) FROM outbox_messages",
        "SELECT 'audit_events', count(*) || ' max id ' || coalesce(max(id), 0) FROM audit_events",
        "SELECT 'arrangements ' || state || ' evaluated through ' || coalesce(evaluated_through, 'never'), count(*) FROM arrangements GROUP BY state, evaluated_through",
        "SELECT 'accounts ' || status || ' last updated ' || max(updated_at), count(*) FROM accounts GROUP BY status",
    ];

    public static async Task<Fingerprint> TakeAsync(string path)
    {
        await using var connection = new SqliteConnection($"Data Source={path}");
        await connection.OpenAsync();
        var values = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var sql in Queries)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                values[reader.GetString(0)] = Convert.ToString(reader.GetValue(1), CultureInfo.InvariantCulture)!;
            }
        }

        return new Fingerprint(values);
    }

    /// <summary>What differs from <paramref name="before"/>, one "name: before → after" per item; empty when nothing does.</summary>
    public string Changes(Fingerprint before) => string.Join("; ", values.Keys.Union(before.Values.Keys).Order(StringComparer.Ordinal)
        .Select(k => (k, was: before.Values.GetValueOrDefault(k, "none"), now: values.GetValueOrDefault(k, "none")))
        .Where(c => c.was != c.now)
        .Select(c => $"{c.k}: {c.was} → {c.now}"));

    private IReadOnlyDictionary<string, string> Values => values;
}
