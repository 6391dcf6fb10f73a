using Dunwell.Data;
using Dunwell.Domain.Accounts;
using Dunwell.Domain.Amounts;
using Dunwell.Domain.Arrangements;
using Dunwell.Domain.Fees;
using Dunwell.Features.CreditorPolicies;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Dunwell.Features.Demo;

/// <summary>
/// Promises, plans and a few proposals waiting for a supervisor, so a newcomer sees the arrangement features at once.
/// Uses the same schedule rules as the API; runs once, inside the demo's seeding transaction.
/// </summary>
internal static class DemoArrangements
{
    public static async Task SeedAsync(DunwellDb db, Instant now, CancellationToken cancellationToken)
    {
        var creditors = await db.Creditors.Select(c => new { c.Id, c.Reference }).ToListAsync(cancellationToken);
        var versions = new Dictionary<long, long>();
        foreach (var creditor in creditors)
        {
            var version = await PolicyStore.SaveAsync(db, creditor.Id, PolicyOf(creditor.Reference), "system:demo", now, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            versions[creditor.Id] = version.Id;
        }

        // Illustrative rates so statutory interest can be shown; an admin keeps the real table.
        DemoRates.Add(db, now);

        await db.SaveChangesAsync(cancellationToken);

        // Accounts still owing, spread over the portfolio: every 20th gets a promise, every 25th a plan, three a pending proposal.
        // Each is agreed on a call, so only debtors with a phone who may be called are picked.
        var owing = await db.Accounts.AsNoTracking()
            .Where(a => a.Status == AccountStatus.Active
                && db.DebtorContacts.Any(c => c.DebtorId == a.DebtorId && c.Kind == ContactKind.Phone)
                && !db.DebtorFlags.Any(f => f.DebtorId == a.DebtorId && (f.Kind == DebtorFlagKind.CeaseCommunication || f.Kind == DebtorFlagKind.RepresentedByAttorney
                    || f.Kind == DebtorFlagKind.BreathingSpace || f.Kind == DebtorFlagKind.OptOutCalls)))
            .OrderBy(a => a.Id)
            .Select(a => new
            {
                a.Id,
                a.CreditorId,
                a.DebtorId,
                a.Currency,
                a.Debtor.TimeZone,
                a.Debtor.ContactFrom,
                AtWork = a.Debtor.InconvenientTimes.Any(),
                Balance = db.Ledger.Where(e => e.AccountId == a.Id).Sum(e => e.Principal + e.Interest + e.Fees),
            })
            .Where(a => a.Balance >= 10_000)
            .Take(400)
            .ToListAsync(cancellationToken);
        var today = now.InUtc().Date;
        for (var i = 0; i < owing.Count; i++)
        {
            var account = owing[i];
            var (kind, state, count, frequency) = i switch
            {
                < 3 => (ArrangementKind.Plan, ArrangementState.PendingApproval, 12, Frequency.Monthly),
                _ when i % 20 == 0 => (ArrangementKind.Promise, ArrangementState.Active, 1, (Frequency?)null),
                _ when i % 25 == 0 => (ArrangementKind.Plan, ArrangementState.Active, 4, Frequency.Monthly),
                _ => (default(ArrangementKind), default(ArrangementState), 0, (Frequency?)null),
            };
            if (count == 0)
            {
                continue;
            }

            // Yesterday, in the debtor's own day: inside their contact hours, after work for those who said so.
            var zone = DateTimeZoneProviders.Tzdb[account.TimeZone ?? "UTC"];
            var callTime = account.AtWork ? new LocalTime(17, 30) : account.ContactFrom?.PlusHours(1) ?? new LocalTime(11, 0);
            var calledAt = now.InZone(zone).Date.PlusDays(-1).At(callTime).InZoneLeniently(zone).ToInstant();
            var currency = Currency.Of(account.Currency);
            var schedule = kind == ArrangementKind.Plan
                ? InstalmentSchedule.Generate(new Money(account.Balance, currency), today.PlusDays(7), frequency!.Value, count)
                : [new Instalment(1, today.PlusDays(5 + (i % 9)), new Money(account.Balance, currency))];
            var arrangement = new Arrangement
            {
                AccountId = account.Id,
                PaymentsAfterEntryId = await db.Ledger.Where(e => e.AccountId == account.Id).MaxAsync(e => (long?)e.Id, cancellationToken) ?? 0,
                Kind = kind,
                State = state,
                Currency = currency.Code,
                TotalMinor = account.Balance,
                Frequency = frequency,
                BalanceMinor = account.Balance,
                CreatedBy = "user:agent@demo.test",
                CreatedByRole = Roles.Agent,
                CreatedAt = calledAt + Duration.FromMinutes(15),
                PolicyVersionId = versions[account.CreditorId],
                PolicyFindingsJson = state == ArrangementState.PendingApproval
                    ? """[{"limit":"max-plan-months","message":"A plan of 12 months is beyond the 6 months an agent may agree."}]"""
                    : "[]",
                Instalments = [.. schedule.Select(s => new ArrangementInstalment { Number = s.Number, DueOn = s.DueOn, AmountMinor = s.Amount.Minor })],
            };
            db.Arrangements.Add(arrangement);
            await db.SaveChangesAsync(cancellationToken);
            if (state == ArrangementState.Active)
            {
                await db.Accounts.Where(a => a.Id == account.Id).ExecuteUpdateAsync(s => s.SetProperty(a => a.Status, AccountStatus.InArrangement), cancellationToken);
            }
            else
            {
                db.Tasks.Add(new WorkTask
                {
                    AccountId = account.Id,
                    Kind = WorkTaskKind.Approval,
                    ArrangementId = arrangement.Id,
                    Title = "Approve or reject a 12-month plan",
                    Note = "A plan of 12 months is beyond the 6 months an agent may agree.",
                    DueAt = now + Duration.FromHours(24),
                    Cause = $"approval:{arrangement.Id}",
                    CreatedAt = now,
                });
            }

            db.Interactions.Add(new Interaction
            {
                AccountId = account.Id,
                DebtorId = account.DebtorId,
                Channel = InteractionChannel.Call,
                Direction = InteractionDirection.Outbound,
                OccurredAt = calledAt,
                RecordedAt = calledAt + Duration.FromMinutes(15),
                Author = "user:agent@demo.test",
                Outcome = OutcomeCode.Promise,
                Conversation = true,
                Notes = state == ArrangementState.PendingApproval
                    ? "Customer asked for twelve months; proposed, pending a supervisor's approval. Nothing confirmed yet."
                    : $"{Arrangements.ProposeArrangement.Describe(arrangement)} agreed on the call.",
            });
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>The UK creditor charges a modest late fee; the US one charges none; the commercial one claims statutory interest.</summary>
    private static CreditorPolicy PolicyOf(string creditorReference) => creditorReference switch
    {
        "ALB" => CreditorPolicy.Default with
        {
            // The late fee is in the customers' agreements since 2020, so it applies to debts already past due.
            Fees = [new FeeRuleSpec("late-fee", FeeRuleKind.FixedLateFee, AfterDaysPastDue: 30, AmountMinor: 1_200) { From = new LocalDate(2020, 1, 1) }],
        },
        "NWU" => CreditorPolicy.Default with { ClaimStatutoryInterest = false },
        _ => CreditorPolicy.Default,
    };
}
