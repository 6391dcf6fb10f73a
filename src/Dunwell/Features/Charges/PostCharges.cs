using System.CommandLine;
using System.Globalization;
using Dunwell.Data;
using Dunwell.Domain.Accounts;
using Dunwell.Domain.Amounts;
using Dunwell.Domain.Arrangements;
using Dunwell.Domain.Fees;
using Dunwell.Domain.Ledger;
using Dunwell.Features.CreditorPolicies;
using Dunwell.Web;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using NodaTime.Text;

namespace Dunwell.Features.Charges;

public sealed record PostingSummary(int AccountsExamined, int EntriesPosted, int Corrections);

/// <summary>
/// Posts fees and interest to the ledger for a date: for each rule, the difference between what the charge sheet says
/// it has earned and what is already posted under it. Running the same date twice posts nothing the second time, a
/// missed day is caught up by the next run, and every entry names its rule, so each line of the ledger is explained by
/// the sheet. <c>dunwell charges post --date</c> runs it; the daily cycle will call it.
/// </summary>
public static class PostCharges
{
    private const int BatchSize = 500;

    private static readonly AccountStatus[] Accruing = [.. Enum.GetValues<AccountStatus>().Where(ChargeSheet.Accrues)];

    /// <summary>
    /// Posts for <paramref name="date"/>, or for today in each creditor's calendar when null. An account whose charges
    /// were already posted for a later date is left alone: posting never runs backwards.
    /// </summary>
    public static async Task<PostingSummary> RunAsync(DunwellDb db, LocalDate? date, long? accountId, string actor, Instant now, CancellationToken cancellationToken)
    {
        var creditors = new Dictionary<long, (CreditorPolicy Policy, IReadOnlyList<RulePeriod> Terms, LocalDate Day)>();
        var rates = await ChargeSheet.RatesAsync(db, cancellationToken);
        int examined = 0, posted = 0, corrections = 0;
        long after = 0;
        while (true)
        {
            var batch = await db.Accounts.AsNoTracking()
                .Where(a => a.Id > after && Accruing.Contains(a.Status) && (accountId == null || a.Id == accountId))
                .OrderBy(a => a.Id)
                .Take(BatchSize)
                .Select(a => new { a.Id, a.CreditorId, a.Kind, a.Creditor.TimeZone })
                .ToListAsync(cancellationToken);
            if (batch.Count == 0)
            {
                return new PostingSummary(examined, posted, corrections);
            }

            after = batch[^1].Id;
            foreach (var creditor in batch.DistinctBy(a => a.CreditorId).Where(a => !creditors.ContainsKey(a.CreditorId)))
            {
                var zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(creditor.TimeZone) ?? DateTimeZone.Utc;
                creditors[creditor.CreditorId] = (
                    (await PolicyStore.CurrentAsync(db, creditor.CreditorId, cancellationToken)).Policy,
                    await PolicyStore.FeeTermsAsync(db, creditor.CreditorId, zone, cancellationToken),
                    date ?? now.InZone(zone).Date);
            }

            // Only accounts some rule can charge (now or in the past) are worth reading the ledger of.
            var chargeable = batch
                .Where(a => creditors[a.CreditorId].Terms.Count > 0 || (a.Kind == AccountKind.Commercial && creditors[a.CreditorId].Policy.ClaimStatutoryInterest))
                .ToDictionary(a => a.Id, a => a.CreditorId);
            if (chargeable.Count == 0)
            {
                continue;
            }

            await using var transaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
            foreach (var facts in await ChargeSheet.LoadFactsAsync(db, chargeable.Keys, cancellationToken))
            {
                var (policy, terms, day) = creditors[chargeable[facts.AccountId]];
                var charges = facts.Ledger.Where(r => r.Kind is LedgerEntryKind.Fee or LedgerEntryKind.Interest && r.Reference is not null).ToList();
                if (charges.Any(r => r.ValueDate > day))
                {
                    continue;
                }

                examined++;
                var sheet = ChargeSheet.Compute(facts, policy, terms, day, rates.BankOfEngland, rates.Ecb);
                foreach (var rule in sheet.Rules.Where(r => r.ToPostMinor != 0))
                {
                    db.Ledger.Add(Entry(sheet, rule, day, charges.Count(r => r.Reference == rule.Rule), actor, now));
                    posted++;
                    corrections += rule.ToPostMinor < 0 ? 1 : 0;
                }
            }

            await db.SaveChangesAsync(cancellationToken);
            if (transaction is not null)
            {
                await transaction.CommitAsync(cancellationToken);
            }

            db.ChangeTracker.Clear();
        }
    }

    private static LedgerEntry Entry(ChargeSheet sheet, RulePosting rule, LocalDate date, int postedBefore, string actor, Instant now)
    {
        var amount = rule.ToPostMinor;
        var through = sheet.Lines.Where(l => l.Rule == rule.Rule).Select(l => l.Through).DefaultIfEmpty(date).Max();
        // Kept in the ledger's note, so in one locale whoever posts it: "$12.00".
        var money = MoneyText.Written(Math.Abs(amount), sheet.Currency);
        return new LedgerEntry
        {
            AccountId = sheet.AccountId,
            Kind = rule.IsInterest ? LedgerEntryKind.Interest : LedgerEntryKind.Fee,
            Interest = rule.IsInterest ? amount : 0,
            Fees = rule.IsInterest ? 0 : amount,
            Currency = sheet.Currency.Code,
            ValueDate = date,
            PostedAt = now,
            PostedBy = actor,
            // The n-th entry under a rule: two runs that read the same ledger (for any dates) cannot both post it.
            IdempotencyKey = string.Create(CultureInfo.InvariantCulture, $"charge:{sheet.AccountId}:{rule.Rule}:{postedBefore + 1}"),
            Reference = rule.Rule,
            Note = amount > 0
                ? $"{money} under {rule.Rule}, earned to {LocalDatePattern.Iso.Format(through)}."
                : $"{money} back under {rule.Rule}: recalculated as the ledger, the terms and the reference rates now stand (a payment dated earlier, a day found blocked or a corrected rate lowered it).",
        };
    }

    public static Command Command()
    {
        var date = new Option<string?>("--date") { Description = "The date to post for (YYYY-MM-DD; default today in each creditor's calendar)." };
        var post = new Command("post", "Post the fees and interest each account has earned by a date that are not yet on its ledger.") { date };
        post.SetAction((result, ct) => Cli.RunVerbAsync(async (services, token) =>
        {
            var clock = services.GetRequiredService<TimeProvider>();
            var now = clock.Now();
            var given = result.GetValue(date);
            LocalDate? day = given is null ? null : Cli.DateOrToday(given, now);

            var summary = await RunAsync(services.GetRequiredService<DunwellDb>(), day, null, "system:charges", now, token);
            await Console.Out.WriteLineAsync(
                $"Charges for {(day is { } d ? LocalDatePattern.Iso.Format(d) : "today in each creditor's calendar")}: {summary.AccountsExamined} accounts examined, {summary.EntriesPosted} entries posted ({summary.Corrections} corrections).");
            return 0;
        }, ct));
        return new Command("charges", "Fees and interest.") { post };
    }
}
