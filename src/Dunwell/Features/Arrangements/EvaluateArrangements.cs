using System.CommandLine;
using Dunwell.Data;
using Dunwell.Domain.Accounts;
using Dunwell.Domain.Amounts;
using Dunwell.Domain.Arrangements;
using Dunwell.Domain.Ledger;
using Dunwell.Features.CreditorPolicies;
using Dunwell.Web;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using NodaTime.Text;

namespace Dunwell.Features.Arrangements;

public sealed record EvaluationSummary(int Evaluated, int Kept, int Completed, int Broken, int Defaulted, int TasksOpened);

/// <summary>
/// Evaluates active arrangements against the payments made for a date: kept, completed, broken or defaulted, a
/// follow-up task for each missed payment, the settlement discount posted only when a settlement completes. Runs after
/// every payment for that account and for the whole portfolio from <c>dunwell arrangements evaluate --date</c> (the
/// daily cycle will call it). Evaluating the same date twice changes nothing: states are a pure function of the
/// arrangement, the ledger and the date, and tasks and ledger entries are keyed by their cause.
/// </summary>
/// <remarks>
/// Arrangements are taken in batches of <see cref="BatchSize"/>, one transaction each, so memory stays bounded however
/// large the portfolio. A batch costs a fixed number of queries, not a few per arrangement: everything is read without
/// change tracking, every arrangement is evaluated, then what the writes depend on (tasks already opened, balances,
/// write-offs already posted) is read once for the batch, changed states and statuses are written with one UPDATE per
/// new state, and only new rows (tasks, timeline notes, write-offs) go through the change tracker.
/// </remarks>
public static class EvaluateArrangements
{
    private const int BatchSize = 500;

    /// <summary>
    /// Evaluates every active arrangement, or those of one account, or (<paramref name="paymentsPostedAt"/>) those of
    /// accounts with a payment posted at that instant: the payments of one import file.
    /// </summary>
    public static async Task<EvaluationSummary> RunAsync(
        DunwellDb db, LocalDate date, long? accountId, string actor, Instant now, CancellationToken cancellationToken, Instant? paymentsPostedAt = null)
    {
        var total = new EvaluationSummary(0, 0, 0, 0, 0, 0);
        var policies = new Dictionary<long, CreditorPolicy>();
        long after = 0;
        while (true)
        {
            var batch = await db.Arrangements.AsNoTracking().Include(a => a.Instalments)
                .Where(a => a.State == ArrangementState.Active && a.Id > after && (accountId == null || a.AccountId == accountId)
                    && (paymentsPostedAt == null || db.Ledger.Any(e => e.AccountId == a.AccountId && e.Kind == LedgerEntryKind.Payment && e.PostedAt == paymentsPostedAt)))
                .OrderBy(a => a.Id)
                .Take(BatchSize)
                .ToListAsync(cancellationToken);
            if (batch.Count == 0)
            {
                return total;
            }

            after = batch[^1].Id;
            var summary = await EvaluateBatchAsync(db, batch, date, actor, now, policies, cancellationToken);
            total = new EvaluationSummary(total.Evaluated + summary.Evaluated, total.Kept + summary.Kept, total.Completed + summary.Completed,
                total.Broken + summary.Broken, total.Defaulted + summary.Defaulted, total.TasksOpened + summary.TasksOpened);
            db.ChangeTracker.Clear();
        }
    }

    private static async Task<EvaluationSummary> EvaluateBatchAsync(
        DunwellDb db, List<Arrangement> batch, LocalDate date, string actor, Instant now, Dictionary<long, CreditorPolicy> policies, CancellationToken cancellationToken)
    {
        await using var transaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        var accountIds = batch.Select(a => a.AccountId).Distinct().ToList();
        var arrangementIds = batch.Select(a => a.Id).ToList();
        var accounts = await db.Accounts.AsNoTracking().Where(a => accountIds.Contains(a.Id)).ToDictionaryAsync(a => a.Id, cancellationToken);
        var payments = await PaymentsAsync(db, accountIds, cancellationToken);

        var results = new List<(Arrangement Arrangement, ArrangementEvaluation Result)>(batch.Count);
        foreach (var arrangement in batch)
        {
            results.Add((arrangement, Evaluate(arrangement, payments, await PolicyOfAsync(db, arrangement, policies, cancellationToken), date)));
        }

        // What the writes depend on, read once for the batch. A task names its arrangement's account, so the account
        // filter (indexed) finds the same tasks as the arrangement filter alone, without reading every task there is.
        var openedBefore = (await db.Tasks.Where(t => accountIds.Contains(t.AccountId) && t.ArrangementId != null && arrangementIds.Contains(t.ArrangementId!.Value))
            .Select(t => t.Cause).ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
        var changed = results.Where(r => r.Result.State != r.Arrangement.State).ToList();
        var writeOffs = changed.Where(r => WritesOff(r.Arrangement, r.Result)).Select(r => SettlementKey(r.Arrangement)).ToList();
        var posted = writeOffs.Count == 0 ? [] : (await db.Ledger.Where(e => e.IdempotencyKey != null && writeOffs.Contains(e.IdempotencyKey))
            .Select(e => e.IdempotencyKey!).ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
        var balances = await BalancesAsync(db, changed
            .Where(r => accounts[r.Arrangement.AccountId].Status == AccountStatus.InArrangement || WritesOff(r.Arrangement, r.Result))
            .Select(r => r.Arrangement.AccountId).Distinct().ToList(), cancellationToken);

        int kept = 0, completed = 0, broken = 0, defaulted = 0, tasks = 0;
        var evaluatedAgain = new List<long>();
        var newStates = new Dictionary<ArrangementState, List<long>>();
        var newStatuses = new Dictionary<long, AccountStatus>();
        foreach (var (arrangement, result) in results)
        {
            var account = accounts[arrangement.AccountId];

            // A task for every instalment found missed, opened once whatever day the evaluation runs.
            foreach (var missed in result.Instalments.Where(i => i.State == InstalmentState.Missed))
            {
                var cause = $"missed:{arrangement.Id}:{missed.Number}";
                if (openedBefore.Add(cause))
                {
                    db.Tasks.Add(FollowUp(arrangement, account, missed, cause, now));
                    tasks++;
                }
            }

            if (result.State == arrangement.State)
            {
                if (arrangement.EvaluatedThrough != date)
                {
                    evaluatedAgain.Add(arrangement.Id);
                }

                continue;
            }

            (newStates.TryGetValue(result.State, out var ids) ? ids : newStates[result.State] = []).Add(arrangement.Id);
            switch (result.State)
            {
                case ArrangementState.Kept:
                    kept++;
                    break;
                case ArrangementState.Completed:
                    completed++;
                    if (WritesOff(arrangement, result) && !posted.Contains(SettlementKey(arrangement)))
                    {
                        PostSettlementDiscount(db, arrangement, account, date, actor, now, balances.GetValueOrDefault(account.Id));
                    }

                    break;
                case ArrangementState.Broken:
                    broken++;
                    break;
                case ArrangementState.Defaulted:
                    defaulted++;
                    break;
            }

            if (account.Status == AccountStatus.InArrangement)
            {
                var balance = balances.GetValueOrDefault(account.Id);
                account.Status = result.State == ArrangementState.Completed && arrangement.Kind == ArrangementKind.Settlement ? AccountStatus.Settled
                    : balance.Total <= 0 ? AccountStatus.Paid
                    : AccountStatus.Active;
                newStatuses[account.Id] = account.Status;
            }

            TimelineNote.Add(db, account, actor, now, $"{ProposeArrangement.Describe(arrangement)}: {result.State.ToString().ToLowerInvariant()} as of {LocalDatePattern.Iso.Format(date)}.");
        }

        if (evaluatedAgain.Count > 0)
        {
            await db.Arrangements.Where(a => evaluatedAgain.Contains(a.Id))
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.EvaluatedThrough, date), cancellationToken);
        }

        foreach (var (state, ids) in newStates)
        {
            await db.Arrangements.Where(a => ids.Contains(a.Id))
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.State, state).SetProperty(a => a.EvaluatedThrough, date), cancellationToken);
        }

        foreach (var group in newStatuses.GroupBy(s => s.Value, s => s.Key))
        {
            var (status, ids) = (group.Key, group.ToList());
            // Only accounts still in arrangement: a dispute recorded since the read keeps its status.
            await db.Accounts.Where(a => ids.Contains(a.Id) && a.Status == AccountStatus.InArrangement)
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.Status, status).SetProperty(a => a.UpdatedAt, now), cancellationToken);
        }

        await db.SaveChangesAsync(cancellationToken);
        if (transaction is not null)
        {
            await transaction.CommitAsync(cancellationToken);
        }

        return new EvaluationSummary(batch.Count, kept, completed, broken, defaulted, tasks);
    }

    /// <summary>
    /// How each agreed arrangement stands on a date, instalment by instalment, without changing anything: for the API and
    /// the account page. Pending, cancelled and waiver arrangements have no payments and are left out.
    /// </summary>
    public static async Task<Dictionary<long, ArrangementEvaluation>> ProgressAsync(
        DunwellDb db, IReadOnlyList<Arrangement> arrangements, LocalDate date, CancellationToken cancellationToken)
    {
        var agreed = arrangements.Where(a => a.Kind != ArrangementKind.FeeWaiver && a.Instalments.Count > 0
            && a.State is not (ArrangementState.Proposed or ArrangementState.PendingApproval or ArrangementState.Cancelled)).ToList();
        var payments = await PaymentsAsync(db, [.. agreed.Select(a => a.AccountId).Distinct()], cancellationToken);
        var policies = new Dictionary<long, CreditorPolicy>();
        var progress = new Dictionary<long, ArrangementEvaluation>();
        foreach (var arrangement in agreed)
        {
            progress[arrangement.Id] = Evaluate(arrangement, payments, await PolicyOfAsync(db, arrangement, policies, cancellationToken), date);
        }

        return progress;
    }

    /// <summary>How an arrangement would stand on a date without one of its payments (one being reversed).</summary>
    internal static async Task<ArrangementEvaluation> WithoutPaymentAsync(DunwellDb db, Arrangement arrangement, long paymentEntryId, LocalDate date, CancellationToken cancellationToken)
    {
        var payments = await PaymentsAsync(db, [arrangement.AccountId], cancellationToken);
        var rest = payments[arrangement.AccountId].Where(p => p.Id != paymentEntryId).ToLookup(_ => arrangement.AccountId);
        return Evaluate(arrangement, rest, await PolicyOfAsync(db, arrangement, [], cancellationToken), date);
    }

    /// <summary>Payments not reversed, per account, with the ledger id that says whether they came after an arrangement.</summary>
    private static async Task<ILookup<long, (long Id, LocalDate ValueDate, long Amount)>> PaymentsAsync(DunwellDb db, List<long> accountIds, CancellationToken cancellationToken)
    {
        var entries = await db.Ledger.AsNoTracking()
            .Where(e => accountIds.Contains(e.AccountId) && (e.Kind == LedgerEntryKind.Payment || e.Kind == LedgerEntryKind.Reversal))
            .Select(e => new { e.Id, e.AccountId, e.Kind, e.ValueDate, Total = e.Principal + e.Interest + e.Fees, e.ReversesEntryId })
            .ToListAsync(cancellationToken);
        var reversed = entries.Where(e => e.ReversesEntryId is not null).Select(e => e.ReversesEntryId!.Value).ToHashSet();
        return entries.Where(e => e.Kind == LedgerEntryKind.Payment && !reversed.Contains(e.Id)).ToLookup(e => e.AccountId, e => (e.Id, e.ValueDate, -e.Total));
    }

    private static async Task<CreditorPolicy> PolicyOfAsync(DunwellDb db, Arrangement arrangement, Dictionary<long, CreditorPolicy> policies, CancellationToken cancellationToken) =>
        arrangement.PolicyVersionId is { } versionId
            ? policies.TryGetValue(versionId, out var cached) ? cached : policies[versionId] = await PolicyStore.VersionAsync(db, versionId, cancellationToken)
            : CreditorPolicy.Default;

    /// <summary>
    /// Payments posted after the arrangement was proposed count towards it (a late file dated earlier too); those posted
    /// before were already in its balance, even if made the same day.
    /// </summary>
    private static ArrangementEvaluation Evaluate(Arrangement arrangement, ILookup<long, (long Id, LocalDate ValueDate, long Amount)> payments, CreditorPolicy policy, LocalDate date)
    {
        var received = payments[arrangement.AccountId].Where(e => e.Id > arrangement.PaymentsAfterEntryId).Select(e => new ReceivedPayment(e.ValueDate, e.Amount));
        var instalments = arrangement.Instalments.Select(i => new AgreedInstalment(i.Number, i.DueOn, i.AmountMinor)).ToList();
        return ArrangementRules.Evaluate(arrangement.Kind, instalments, received, date, policy.Evaluation);
    }

    /// <summary>Each account's balance as the ledger holds it now (what this batch adds is not yet saved).</summary>
    private static async Task<Dictionary<long, Components>> BalancesAsync(DunwellDb db, List<long> accountIds, CancellationToken cancellationToken) =>
        accountIds.Count == 0 ? [] : await db.Ledger
            .Where(e => accountIds.Contains(e.AccountId))
            .GroupBy(e => e.AccountId)
            .Select(g => new { g.Key, P = g.Sum(e => e.Principal), I = g.Sum(e => e.Interest), F = g.Sum(e => e.Fees) })
            .ToDictionaryAsync(g => g.Key, g => new Components(g.P, g.I, g.F), cancellationToken);

    private static WorkTask FollowUp(Arrangement arrangement, Account account, InstalmentStatus missed, string cause, Instant now) => new()
    {
        AccountId = account.Id,
        Kind = arrangement.Kind == ArrangementKind.Plan ? WorkTaskKind.MissedInstalment : WorkTaskKind.BrokenPromise,
        ArrangementId = arrangement.Id,
        AssignedTo = account.AssignedAgent ?? arrangement.CreatedBy,
        Title = arrangement.Kind == ArrangementKind.Plan
            ? $"Instalment {missed.Number} of the plan was missed: remind the customer, ask what changed"
            : "The promise to pay was not kept: remind the customer of it, ask what changed",
        Note = $"Due {LocalDatePattern.Iso.Format(missed.DueOn)}; paid {Amount(missed.PaidMinor, account.Currency)} of {Amount(missed.AmountMinor, account.Currency)}.",
        DueAt = now,
        Cause = cause,
        CreatedAt = now,
    };

    private static string Amount(long minor, string currency) => MoneyText.Written(minor, currency);

    private static bool WritesOff(Arrangement arrangement, ArrangementEvaluation result) =>
        result.State == ArrangementState.Completed && arrangement.Kind == ArrangementKind.Settlement && arrangement.DiscountMinor > 0;

    private static string SettlementKey(Arrangement arrangement) => $"settlement:{arrangement.Id}";

    /// <summary>The write-off of a completed settlement, posted once (its idempotency key) and only now, never when agreed.</summary>
    /// <summary>
    /// A completed settlement closes the debt: whatever is still owed is written off, the agreed discount and any fees
    /// or interest posted while the settlement ran, so a settled account never keeps a balance.
    /// </summary>
    private static void PostSettlementDiscount(DunwellDb db, Arrangement arrangement, Account account, LocalDate date, string actor, Instant now, Components balance)
    {
        var writeOff = new Components(Math.Max(0, balance.Principal), Math.Max(0, balance.Interest), Math.Max(0, balance.Fees));
        if (writeOff.Total <= 0)
        {
            return;
        }

        var currency = Currency.Of(account.Currency);
        var beyond = writeOff.Total - arrangement.DiscountMinor;
        db.Ledger.Add(new LedgerEntry
        {
            AccountId = account.Id,
            Kind = LedgerEntryKind.SettlementDiscount,
            Principal = -writeOff.Principal,
            Interest = -writeOff.Interest,
            Fees = -writeOff.Fees,
            Currency = account.Currency,
            ValueDate = date,
            PostedAt = now,
            PostedBy = actor,
            IdempotencyKey = SettlementKey(arrangement),
            Note = beyond > 0
                ? $"Written off on completing settlement {arrangement.Id}, with {MoneyText.Written(beyond, currency)} of charges posted while it ran."
                : $"Written off on completing settlement {arrangement.Id}.",
        });
    }

    public static Command Command()
    {
        var date = new Option<string?>("--date") { Description = "The date to evaluate for (YYYY-MM-DD; default today, UTC)." };
        var evaluate = new Command("evaluate", "Evaluate active promises, plans and settlements for a date: kept, broken, follow-up tasks.") { date };
        evaluate.SetAction((result, ct) => Cli.RunVerbAsync(async (services, token) =>
        {
            var clock = services.GetRequiredService<TimeProvider>();
            var now = clock.Now();
            var day = Cli.DateOrToday(result.GetValue(date), now);

            var summary = await RunAsync(services.GetRequiredService<DunwellDb>(), day, null, "system:evaluate", now, token);
            await Console.Out.WriteLineAsync(
                $"Evaluated {summary.Evaluated} arrangements for {LocalDatePattern.Iso.Format(day)}: {summary.Kept} kept, {summary.Completed} completed, {summary.Broken} broken, {summary.Defaulted} defaulted; {summary.TasksOpened} follow-up tasks opened.");
            return 0;
        }, ct));
        return new Command("arrangements", "Promises, plans and settlements.") { evaluate };
    }
}
