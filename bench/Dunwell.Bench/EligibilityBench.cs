using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using System.Text.Json;
using Dunwell.Domain.Compliance;
using Dunwell.Features.Compliance;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Dunwell.Bench;

/// <summary>
/// Contact eligibility for a whole portfolio on SQLite. The portfolio is the evaluation bench's (generated, then imported
/// with the real import code); <see cref="ContactHistorySeeder"/> adds 30 days of contact history, flags, inconvenient
/// times and disputes. Then, for one instant: a plain ADO.NET read of the rows eligibility reads; the batched
/// eligibility of every account for a call (<see cref="ContactQuestions.ForPortfolioAsync"/>), in a fresh context and
/// then again with the code warm; the same work with
/// loading and deciding timed apart on one thread; and a sample asked one account at a time through
/// <see cref="ContactQuestion.LoadAsync"/>, whose answers must equal the batch's.
/// </summary>
internal static class EligibilityBench
{
    /// <summary>Tuesday 3 March 2026, 10:00 in New York, 07:00 in Los Angeles, 15:00 in London.</summary>
    public static readonly Instant At = Instant.FromUtc(2026, 3, 3, 15, 0);

    private const int SampleSize = 2_000;

    public static async Task RunAsync(DirectoryInfo directory, int accounts)
    {
        var path = Path.Combine(directory.FullName, "eligibility.db");
        // The app (dunwell) runs with server GC (Microsoft.NET.Sdk.Web); this process uses what DOTNET_gcServer says.
        Console.WriteLine($"GC: {(GCSettings.IsServerGC ? "server" : "workstation")}, {GCSettings.LatencyMode}; {Environment.ProcessorCount} processors");
        var phases = new List<Phase>();
        await EvaluateBench.BuildPortfolioAsync(directory, path, accounts, phases);
        HistorySeed? seeded = null;
        phases.Add(await Phase.MeasureAsync("seed contact histories", async () => seeded = await ContactHistorySeeder.SeedAsync(path, At, seed: 11)));
        Console.WriteLine(seeded!.Describe());
        var ids = await AccountIdsAsync(path);
        var step = Math.Max(1, ids.Count / SampleSize);
        var sample = ids.Where((_, i) => i % step == 0).Take(SampleSize).ToHashSet();

        // What is measured; before each phase, no pooled connections and a compacted heap.
        EligibilityRead.Counts? rows = null;
        var read = await Measured("plain read", async () => rows = await EligibilityRead.RunAsync(path, At));
        Tally? tally = null;
        var eligibility = await Measured("eligibility (batched)", async () => tally = await EligibilityAsync(path, sample));
        Tally? again = null;
        var eligibilityAgain = await Measured("eligibility again (warm)", async () => again = await EligibilityAsync(path, sample));
        (TimeSpan Load, TimeSpan Decide, int Decided)? split = null;
        var splitPhase = await Measured("load, then decide (1 thread)", async () => split = await SplitAsync(path, ids));
        var mismatches = 0;
        var alone = await Measured("one account at a time (sample)", async () => mismatches = await OneByOneAsync(path, sample, tally!.Sampled));

        Console.WriteLine();
        Console.WriteLine($"plain read: {rows}");
        Console.WriteLine(tally!.Describe());
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"split: load {split!.Value.Load.TotalSeconds:N2} s, decide {split.Value.Decide.TotalSeconds:N2} s for {split.Value.Decided:N0} accounts " +
            $"({split.Value.Decided / split.Value.Load.TotalSeconds:N0} and {split.Value.Decided / split.Value.Decide.TotalSeconds:N0} accounts/s)"));
        Console.WriteLine($"sample of {sample.Count:N0} asked one at a time: {(mismatches == 0 ? "all equal to the batch's decisions" : $"{mismatches:N0} DIFFER")}");
        Console.WriteLine();
        foreach (var phase in phases)
        {
            Console.WriteLine(EvaluateBench.Line(phase, accounts, "accounts"));
        }

        Console.WriteLine(EvaluateBench.Line(read, accounts, "accounts"));
        Console.WriteLine(EvaluateBench.Line(eligibility, tally.Decided, "accounts"));
        Console.WriteLine(EvaluateBench.Line(eligibilityAgain, again!.Decided, "accounts"));
        Console.WriteLine(EvaluateBench.Line(splitPhase, split.Value.Decided, "accounts"));
        Console.WriteLine(EvaluateBench.Line(alone, sample.Count, "accounts"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"eligibility / plain read: {eligibility.Elapsed / read.Elapsed:N1}x (again: {eligibilityAgain.Elapsed / read.Elapsed:N1}x); one at a time vs batched, per account: {alone.Elapsed.TotalSeconds / sample.Count / (eligibility.Elapsed.TotalSeconds / tally.Decided):N1}x"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"process peak working set: {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:N0} MiB; database {new FileInfo(path).Length / 1048576.0:N0} MiB"));
        var same = again.Describe() == tally.Describe() && again.Sampled.All(s => tally.Sampled[s.Key] == s.Value);
        Console.WriteLine($"second run gave the same decisions (counts and sample): {(same ? "yes" : "NO")}");
        if (mismatches != 0 || !same || tally.Decided != ids.Count || split.Value.Decided != ids.Count)
        {
            throw new InvalidOperationException("The batched eligibility did not answer every account as the one-account path does.");
        }

        static async Task<Phase> Measured(string name, Func<Task> work)
        {
            EvaluateBench.Settle();
            return await Phase.MeasureAsync(name, work);
        }
    }

    /// <summary>Allowed and refused decisions, and how often each rule refused (a refusal can cite several).</summary>
    internal sealed class Tally
    {
        public int Decided { get; private set; }

        public int Allowed { get; private set; }

        public int NextKnown { get; private set; }

        public int NoNext { get; private set; }

        public SortedDictionary<string, int> ByRule { get; } = new(StringComparer.Ordinal);

        public SortedDictionary<string, (int Allowed, int Refused)> ByPack { get; } = new(StringComparer.Ordinal);

        public Dictionary<long, string> Sampled { get; } = [];

        public void Add(AccountContactDecision d)
        {
            Decided++;
            var decision = d.Decision;
            var pack = ByPack.GetValueOrDefault(decision.PackId);
            ByPack[decision.PackId] = decision.Allowed ? (pack.Allowed + 1, pack.Refused) : (pack.Allowed, pack.Refused + 1);
            if (decision.Allowed)
            {
                Allowed++;
                return;
            }

            NextKnown += decision.NextAllowedAt is null ? 0 : 1;
            NoNext += decision.NextAllowedAt is null ? 1 : 0;
            foreach (var rule in decision.Reasons.Select(r => r.RuleId).Distinct(StringComparer.Ordinal))
            {
                ByRule[rule] = ByRule.GetValueOrDefault(rule) + 1;
            }
        }

        public string Describe() => string.Create(CultureInfo.InvariantCulture,
            $"decided {Decided:N0}: allowed {Allowed:N0}, refused {Decided - Allowed:N0} ({NextKnown:N0} with a next allowed instant, {NoNext:N0} without)\n" +
            $"  by pack: {string.Join("; ", ByPack.Select(p => $"{p.Key} {p.Value.Allowed:N0} allowed, {p.Value.Refused:N0} refused"))}\n" +
            $"  refusals citing each rule:\n{string.Join("\n", ByRule.OrderByDescending(r => r.Value).Select(r => $"    {r.Key,-40} {r.Value,10:N0}"))}");
    }

    /// <summary>Everything a decision says, in one comparable string.</summary>
    internal static string Describe(ContactDecision d) => JsonSerializer.Serialize(new
    {
        d.Allowed,
        d.Reasons,
        NextAllowedAt = d.NextAllowedAt?.ToString(),
        d.NoNextAllowedBecause,
        d.Obligations,
        d.PackId,
        d.PackVersion,
        d.Zones,
    });

    /// <summary>What the daily cycle would run: every account, a call, at one instant, through a context configured as the app's.</summary>
    private static async Task<Tally> EligibilityAsync(string path, HashSet<long> sample)
    {
        await using var db = await EvaluateBench.OpenAsync(path, migrate: false);
        var tally = new Tally();
        await foreach (var decision in ContactQuestions.ForPortfolioAsync(db, ContactChannel.Call, ContactPurpose.Collection, At))
        {
            tally.Add(decision);
            if (sample.Contains(decision.AccountId))
            {
                tally.Sampled[decision.AccountId] = Describe(decision.Decision);
            }
        }

        return tally;
    }

    /// <summary>The same questions with loading and deciding timed apart, one batch at a time, deciding on this thread only.</summary>
    private static async Task<(TimeSpan Load, TimeSpan Decide, int Decided)> SplitAsync(string path, List<long> ids)
    {
        await using var db = await EvaluateBench.OpenAsync(path, migrate: false);
        TimeSpan load = TimeSpan.Zero, decide = TimeSpan.Zero;
        var decided = 0;
        foreach (var chunk in ids.Chunk(ContactQuestions.DefaultBatchSize))
        {
            var watch = Stopwatch.StartNew();
            var questions = await ContactQuestions.LoadBatchAsync(db, chunk, ContactChannel.Call, ContactPurpose.Collection, At, CancellationToken.None);
            load += watch.Elapsed;
            watch.Restart();
            foreach (var question in questions.Values)
            {
                GC.KeepAlive(question.Decide());
                decided++;
            }

            decide += watch.Elapsed;
        }

        return (load, decide, decided);
    }

    /// <summary>The sample through the one-account path; returns how many answers differ from the batch's.</summary>
    private static async Task<int> OneByOneAsync(string path, HashSet<long> sample, Dictionary<long, string> batched)
    {
        await using var db = await EvaluateBench.OpenAsync(path, migrate: false);
        var differ = 0;
        foreach (var id in sample.Order())
        {
            var question = await ContactQuestion.LoadAsync(db, id, ContactChannel.Call, null, ContactPurpose.Collection, At, null, CancellationToken.None);
            if (question is null || !batched.TryGetValue(id, out var expected) || Describe(question.Decide()) != expected)
            {
                differ++;
            }
        }

        return differ;
    }

    private static async Task<List<long>> AccountIdsAsync(string path)
    {
        await using var db = await EvaluateBench.OpenAsync(path, migrate: false);
        return await db.Accounts.OrderBy(a => a.Id).Select(a => a.Id).ToListAsync();
    }
}

/// <summary>
/// The floor to compare with: every row the batched eligibility reads, with a plain ADO.NET reader in one read
/// transaction, one pass over each table (only the columns the loader reads, filtered as it filters the history),
/// every value taken out as stored (text as strings, nothing parsed), nothing else done. The loader sums each
/// account's ledger in the database; the plain read reads every ledger row instead.
/// </summary>
internal static class EligibilityRead
{
    public sealed record Counts(long Accounts, long Debtors, long Contacts, long Flags, long Times, long Disputes, long LedgerEntries, long Interactions, long Policies)
    {
        public long Total => Accounts + Debtors + Contacts + Flags + Times + Disputes + LedgerEntries + Interactions + Policies;

        public override string ToString() => string.Create(CultureInfo.InvariantCulture,
            $"{Accounts:N0} accounts, {Debtors:N0} debtors, {Contacts:N0} contacts, {Flags:N0} flags, {Times:N0} inconvenient times, {Disputes:N0} disputes, " +
            $"{LedgerEntries:N0} ledger entries, {Interactions:N0} interactions in the window, {Policies:N0} policy versions ({Total:N0} rows)");
    }

    public static async Task<Counts> RunAsync(string path, Instant at)
    {
        await using var connection = new SqliteConnection($"Data Source={path}");
        await connection.OpenAsync();
        Dunwell.Data.DatabaseSetup.ApplySqlitePragmas(connection);
        await using var transaction = connection.BeginTransaction(deferred: true);
        static string Text(Instant i) => i.ToDateTimeUtc().ToString(@"yyyy\-MM\-dd HH\:mm\:ss.FFFFFFF", CultureInfo.InvariantCulture);
        return new Counts(
            await PlainRead.ReadAsync(connection, "SELECT a.id, a.kind, a.currency, a.debtor_id, a.creditor_id, a.limitation_date, a.validation_notice_sent_at, " +
                "a.validation_period_end, c.jurisdiction_pack, c.time_zone FROM accounts a JOIN creditors c ON c.id = a.creditor_id ORDER BY a.id"),
            await PlainRead.ReadAsync(connection, "SELECT id, kind, country, region, postal_code, location_time_zone, contact_from, contact_until FROM debtors"),
            await PlainRead.ReadAsync(connection, "SELECT * FROM debtor_contacts"),
            await PlainRead.ReadAsync(connection, "SELECT * FROM debtor_flags"),
            await PlainRead.ReadAsync(connection, "SELECT * FROM debtor_inconvenient_times"),
            await PlainRead.ReadAsync(connection, "SELECT id, account_id, received_at, written, amount_minor, verified_at FROM disputes"),
            await PlainRead.ReadAsync(connection, "SELECT account_id, principal, interest, fees FROM ledger_entries"),
            await PlainRead.ReadAsync(connection, "SELECT id, account_id, debtor_id, occurred_at, channel, direction, outcome, conversation, contact_id FROM interactions " +
                $"WHERE occurred_at >= '{Text(at - ContactQuestion.HistoryWindow)}' AND occurred_at < '{Text(at)}' AND corrects_interaction_id IS NULL " +
                "AND channel NOT IN ('Note', 'Portal')"),
            await PlainRead.ReadAsync(connection, "SELECT * FROM creditor_policy_versions"));
    }
}
