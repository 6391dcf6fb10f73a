using System.CommandLine;
using System.Globalization;
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

    public static async Task<PostingSummary> RunAsync(DunwellDb db, LocalDate date, long? accountId, string actor, Instant now, CancellationToken cancellationToken)
    {
        var policies = new Dictionary<long, CreditorPolicy>();
        var rates = await ChargeSheet.RatesAsync(db, cancellationToken);
        int examined = 0, posted = 0, corrections = 0;
        long after = 0;
        while (true)
        {
            var batch = await db.Accounts.AsNoTracking()
                .Where(a => a.Id > after && Accruing.Contains(a.Status) && (accountId == null || a.Id == accountId))
                .OrderBy(a => a.Id)
                .Take(BatchSize)
                .Select(a => new { a.Id, a.CreditorId, a.Kind })
                .ToListAsync(cancellationToken);
            if (batch.Count == 0)
            {
                return new PostingSummary(examined, posted, corrections);
            }

            after = batch[^1].Id;
            foreach (var creditorId in batch.Select(a => a.CreditorId).Distinct().Where(c => !policies.ContainsKey(c)))
            {
                policies[creditorId] = (await PolicyStore.CurrentAsync(db, creditorId, cancellationToken)).Policy;
            }

            // Only accounts some rule can charge are worth reading the ledger of.
            var chargeable = batch
                .Where(a => policies[a.CreditorId].Fees.Count > 0 || (a.Kind == AccountKind.Commercial && policies[a.CreditorId].ClaimStatutoryInterest))
                .ToDictionary(a => a.Id, a => a.CreditorId);
            if (chargeable.Count == 0)
            {
                continue;
            }

            await using var transaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
            foreach (var facts in await ChargeSheet.LoadFactsAsync(db, chargeable.Keys, cancellationToken))
            {
                examined++;
                var sheet = ChargeSheet.Compute(facts, policies[chargeable[facts.AccountId]], date, rates.BankOfEngland, rates.Ecb);
                foreach (var rule in sheet.Rules.Where(r => r.ToPostMinor != 0))
                {
                    db.Ledger.Add(Entry(sheet, rule, date, actor, now));
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

    private static LedgerEntry Entry(ChargeSheet sheet, RulePosting rule, LocalDate date, string actor, Instant now)
    {
        var amount = rule.ToPostMinor;
        var through = sheet.Lines.Where(l => l.Rule == rule.Rule).Select(l => l.Through).DefaultIfEmpty(date).Max();
        var money = $"{MoneyText.Format(Math.Abs(amount), sheet.Currency.Exponent)} {sheet.Currency}";
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
            // Keyed by what was posted before it: two runs that read the same ledger cannot both post, while a later run
            // after a payment (a different ledger) can.
            IdempotencyKey = string.Create(CultureInfo.InvariantCulture, $"charge:{sheet.AccountId}:{rule.Rule}:{LocalDatePattern.Iso.Format(date)}:{rule.PostedMinor}"),
            Reference = rule.Rule,
            Note = amount > 0
                ? $"{money} under {rule.Rule}, earned to {LocalDatePattern.Iso.Format(through)}."
                : $"{money} back under {rule.Rule}: recalculated on the principal as the ledger now has it (a payment dated earlier lowered it).",
        };
    }

    public static Command Command()
    {
        var date = new Option<string?>("--date") { Description = "The date to post for (YYYY-MM-DD; default today, UTC)." };
        var post = new Command("post", "Post the fees and interest each account has earned by a date that are not yet on its ledger.") { date };
        post.SetAction((result, ct) => Cli.RunVerbAsync(async (services, token) =>
        {
            var clock = services.GetRequiredService<TimeProvider>();
            var now = clock.Now();
            var day = Cli.DateOrToday(result.GetValue(date), now);

            var summary = await RunAsync(services.GetRequiredService<DunwellDb>(), day, null, "system:charges", now, token);
            await Console.Out.WriteLineAsync(
                $"Charges for {LocalDatePattern.Iso.Format(day)}: {summary.AccountsExamined} accounts examined, {summary.EntriesPosted} entries posted ({summary.Corrections} corrections).");
            return 0;
        }, ct));
        return new Command("charges", "Fees and interest.") { post };
    }
}
