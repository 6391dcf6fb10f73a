using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Dunwell.Data;
using Dunwell.Domain.Accounts;
using Dunwell.Domain.Compliance;
using Dunwell.Domain.Ledger;
using Dunwell.Features.CreditorPolicies;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Dunwell.Features.Compliance;

/// <summary>The engine's answer for one account of a batch.</summary>
public sealed record AccountContactDecision(long AccountId, ContactDecision Decision);

/// <summary>
/// The same question as <see cref="ContactQuestion.LoadAsync"/> (no destination named, nothing excluded from the
/// history), for many accounts at once: for the daily cycle and anything else that asks about a whole portfolio.
/// </summary>
/// <remarks>
/// Accounts go in batches of <see cref="DefaultBatchSize"/>. A batch costs a fixed number of queries, whatever its size:
/// the accounts with their creditors, the debtors, their contacts, flags and inconvenient times, the disputes, the
/// balances (summed in the database) and the contact history of the window; the creditors' policies are read once per
/// creditor per call. Ids go to the database as one array parameter (<c>json_each</c> on SQLite, <c>= ANY</c> on
/// PostgreSQL), nothing is tracked, and every question is built by <see cref="ContactQuestion.Build"/>, as the
/// one-account load builds it. Deciding is pure, so the portfolio walk decides one batch on its own thread while it
/// reads the next.
/// </remarks>
public static class ContactQuestions
{
    public const int DefaultBatchSize = 1000;

    /// <summary>The question for each account that exists among <paramref name="accountIds"/>, by account id.</summary>
    public static async Task<IReadOnlyDictionary<long, ContactQuestion>> LoadBatchAsync(
        DunwellDb db, IReadOnlyCollection<long> accountIds, ContactChannel channel, ContactPurpose purpose, Instant at, CancellationToken cancellationToken,
        bool automated = false)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(accountIds);
        var questions = new Dictionary<long, ContactQuestion>(accountIds.Count);
        var policies = new Dictionary<long, (FirmPolicy? Firm, RulePacks Packs)>();
        foreach (var chunk in accountIds.Distinct().Chunk(DefaultBatchSize))
        {
            var accounts = await db.Accounts.AsNoTracking()
                .Where(a => EF.Parameter(chunk).Contains(a.Id))
                .Select(ContactRows.AccountProjection)
                .ToListAsync(cancellationToken);
            foreach (var (accountId, question) in await BuildAsync(db, accounts, channel, purpose, at, automated, policies, cancellationToken))
            {
                questions[accountId] = question;
            }
        }

        return questions;
    }

    /// <summary>The decision for each account that exists among <paramref name="accountIds"/>, in the order given.</summary>
    public static async Task<IReadOnlyList<AccountContactDecision>> DecideBatchAsync(
        DunwellDb db, IReadOnlyCollection<long> accountIds, ContactChannel channel, ContactPurpose purpose, Instant at, CancellationToken cancellationToken,
        bool automated = false)
    {
        var questions = await LoadBatchAsync(db, accountIds, channel, purpose, at, cancellationToken, automated);
        return Decide([.. accountIds.Distinct().Where(questions.ContainsKey).Select(id => (id, questions[id]))], Environment.ProcessorCount);
    }

    /// <summary>
    /// Every account, in id order, with its decision at <paramref name="at"/>. Streams: at most two batches are held
    /// at a time (the one being decided and the one being read), so memory does not grow with the portfolio.
    /// <paramref name="automated"/> asks about contact the system makes on its own (the daily cycle's messages).
    /// </summary>
    public static async IAsyncEnumerable<AccountContactDecision> ForPortfolioAsync(
        DunwellDb db, ContactChannel channel, ContactPurpose purpose, Instant at, int batchSize = DefaultBatchSize, bool automated = false,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var policies = new Dictionary<long, (FirmPolicy? Firm, RulePacks Packs)>();
        long after = 0;
        Task<AccountContactDecision[]>? deciding = null;
        while (true)
        {
            var accounts = await db.Accounts.AsNoTracking()
                .Where(a => a.Id > after)
                .OrderBy(a => a.Id)
                .Take(batchSize)
                .Select(ContactRows.AccountProjection)
                .ToListAsync(cancellationToken);
            var questions = await BuildAsync(db, accounts, channel, purpose, at, automated, policies, cancellationToken);
            if (deciding is not null)
            {
                foreach (var decision in await deciding)
                {
                    yield return decision;
                }
            }

            if (accounts.Count == 0)
            {
                yield break;
            }

            after = accounts[^1].Id;
            // On its own thread, leaving a core to the reader, so deciding does not hold the pool threads that the
            // continuations of the next batch's queries need.
            deciding = Task.Factory.StartNew(() => Decide(questions, Math.Max(1, Environment.ProcessorCount - 1)), cancellationToken,
                TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }
    }

    /// <summary>Reads everything the questions about <paramref name="accounts"/> need, a fixed number of queries for all of them.</summary>
    private static async Task<List<(long AccountId, ContactQuestion Question)>> BuildAsync(
        DunwellDb db, List<ContactRows.AccountRow> accounts, ContactChannel channel, ContactPurpose purpose, Instant at, bool automated,
        Dictionary<long, (FirmPolicy? Firm, RulePacks Packs)> policies, CancellationToken cancellationToken)
    {
        if (accounts.Count == 0)
        {
            return [];
        }

        var accountIds = accounts.Select(a => a.Id).ToArray();
        var debtorIds = accounts.Select(a => a.DebtorId).Distinct().ToArray();
        var debtorRows = await db.Debtors.AsNoTracking()
            .Where(d => EF.Parameter(debtorIds).Contains(d.Id))
            .Select(ContactRows.DebtorProjection)
            .ToListAsync(cancellationToken);
        var contacts = (await db.DebtorContacts.AsNoTracking().Where(c => EF.Parameter(debtorIds).Contains(c.DebtorId)).ToListAsync(cancellationToken))
            .ToLookup(c => c.DebtorId);
        var flags = (await db.DebtorFlags.AsNoTracking().Where(f => EF.Parameter(debtorIds).Contains(f.DebtorId)).ToListAsync(cancellationToken))
            .ToLookup(f => f.DebtorId);
        var times = (await db.Set<DebtorInconvenientTime>().AsNoTracking().Where(t => EF.Parameter(debtorIds).Contains(t.DebtorId)).ToListAsync(cancellationToken))
            .ToLookup(t => t.DebtorId);
        var disputes = (await db.Disputes.AsNoTracking()
                .Where(d => EF.Parameter(accountIds).Contains(d.AccountId))
                .Select(ContactRows.DisputeProjection)
                .ToListAsync(cancellationToken))
            .ToLookup(d => d.AccountId);
        var balances = await db.Ledger
            .Where(e => EF.Parameter(accountIds).Contains(e.AccountId))
            .GroupBy(e => e.AccountId)
            .Select(g => new { AccountId = g.Key, P = g.Sum(e => e.Principal), I = g.Sum(e => e.Interest), F = g.Sum(e => e.Fees) })
            .ToDictionaryAsync(b => b.AccountId, b => new Components(b.P, b.I, b.F).Total, cancellationToken);
        var since = at - ContactQuestion.HistoryWindow;
        // Corrections are left out here rather than in SQL: with "corrects_interaction_id IS NULL" in the query, SQLite
        // (without statistics) searches that column's index, i.e. every interaction ever recorded, once per batch.
        var history = (await db.Interactions.AsNoTracking()
                .Where(i => EF.Parameter(debtorIds).Contains(i.DebtorId) && i.OccurredAt >= since && i.OccurredAt < at
                    && i.Channel != InteractionChannel.Note && i.Channel != InteractionChannel.Portal)
                .Select(ContactRows.HistoryProjection)
                .ToListAsync(cancellationToken))
            .Where(i => i.CorrectsInteractionId is null)
            .ToLookup(i => i.DebtorId);
        foreach (var creditorId in accounts.Select(a => a.CreditorId).Distinct())
        {
            if (!policies.ContainsKey(creditorId))
            {
                var policy = await PolicyStore.CurrentAsync(db, creditorId, cancellationToken);
                policies[creditorId] = (policy.Policy.ContactPolicy, ContactQuestion.PacksOf(creditorId, policy.Policy, policy.Version));
            }
        }

        var earlier = await ContactRows.FirstCommunicationsAsync(db, accounts, since, cancellationToken);
        var debtors = debtorRows.ToDictionary(d => d.Id, d => new ContactRows.DebtorOnFile(d, contacts[d.Id], flags[d.Id], times[d.Id]));
        var questions = new List<(long, ContactQuestion)>(accounts.Count);
        foreach (var account in accounts)
        {
            var debtor = debtors.TryGetValue(account.DebtorId, out var found)
                ? found
                : throw new InvalidOperationException($"Account {account.Id} names debtor {account.DebtorId}, which does not exist.");
            questions.Add((account.Id, ContactQuestion.Build(account, debtor, disputes[account.Id], balances.GetValueOrDefault(account.Id), history[account.DebtorId],
                policies[account.CreditorId].Firm, channel, null, purpose, at, earlier.TryGetValue(account.Id, out var first) ? first : null).Automated(automated) with
            { Packs = policies[account.CreditorId].Packs }));
        }

        return questions;
    }

    private static AccountContactDecision[] Decide(List<(long AccountId, ContactQuestion Question)> questions, int threads)
    {
        var decisions = new AccountContactDecision[questions.Count];
        Parallel.ForEach(Partitioner.Create(0, questions.Count, 64), new ParallelOptions { MaxDegreeOfParallelism = threads }, range =>
        {
            for (var i = range.Item1; i < range.Item2; i++)
            {
                decisions[i] = new AccountContactDecision(questions[i].AccountId, questions[i].Question.Decide());
            }
        });
        return decisions;
    }
}
