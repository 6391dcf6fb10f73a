using System.Globalization;
using Dunwell.Data;
using Dunwell.Domain.Accounts;
using Dunwell.Domain.Amounts;
using Dunwell.Domain.Arrangements;
using Dunwell.Domain.Compliance;
using Dunwell.Domain.Fees;
using Dunwell.Domain.Ledger;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Dunwell.Features.Charges;

/// <summary>One itemised charge: the rule (and the law it rests on, if any), the days, rate and base, and why in words.</summary>
public sealed record ChargeLine(
    string Rule, string? Citation, LocalDate From, LocalDate Through, int? Days, int? RateBasisPoints, long? BaseMinor, long AmountMinor, bool IsInterest,
    string Explanation);

/// <summary>
/// What a rule has earned by the sheet's date, what is already on the ledger for it, what waivers took off it, and what
/// posting would add.
/// </summary>
public sealed record RulePosting(string Rule, bool IsInterest, bool Unknown, long DueMinor, long PostedMinor, long WaivedMinor = 0)
{
    /// <summary>
    /// The difference, either way: the sheet follows the principal's history and the terms over time exactly, so a
    /// backdated payment or a day found blocked is posted back. What was waived is not handed back a second time: a
    /// rule is never posted below what waivers already took off it. Entries under a name the terms never had (posted
    /// by hand) are <see cref="Unknown"/> and left alone.
    /// </summary>
    public long ToPostMinor => Unknown ? 0 : Math.Max(DueMinor, WaivedMinor) - PostedMinor;
}

/// <summary>The ledger rows the sheet needs: the principal's history and what was posted under each rule.</summary>
public sealed record ChargeLedgerRow(LocalDate ValueDate, LedgerEntryKind Kind, long Principal, long Charges, string? Reference);

/// <summary>The facts of one account that charges depend on.</summary>
public sealed record ChargeFacts(
    long AccountId, AccountKind Kind, AccountStatus Status, Currency Currency, LocalDate DueDate, IReadOnlyList<ChargeLedgerRow> Ledger,
    IReadOnlyList<BlockedPeriod> Blocked)
{
    /// <summary>
    /// The days the account was under an agreed promise, plan or settlement whose policy froze charges (the policy
    /// version it was agreed under decides, so changing the setting later never reaches back).
    /// </summary>
    public IReadOnlyList<BlockedPeriod> UnderArrangement { get; init; } = [];
}

/// <summary>
/// Every fee and interest charge that applies to an account by a date, itemised, with what is already posted. One
/// source for the charges API, the account page and the posting run, so the statement and the ledger cannot disagree.
/// Commercial debts get statutory late-payment interest and compensation (UK 1998 Act in pounds, EU Directive
/// 2011/7/EU in euros) when the creditor claims them; every account gets its creditor's fee rules; nothing accrues on
/// a blocked day (a breathing space, an open dispute) or on a closed account.
/// </summary>
public sealed record ChargeSheet(long AccountId, Currency Currency, LocalDate AsOf, IReadOnlyList<ChargeLine> Lines, IReadOnlyList<RulePosting> Rules, IReadOnlyList<string> Problems)
{
    public long TotalMinor => Lines.Sum(l => l.AmountMinor);

    public long PostedMinor => Rules.Sum(r => r.PostedMinor);

    public long WaivedMinor => Rules.Sum(r => r.WaivedMinor);

    /// <summary>
    /// States in which charges are posted. Nothing more accrues on a paid, settled, closed or written-off debt, and
    /// nothing is posted while the debt is disputed.
    /// </summary>
    public static bool Accrues(AccountStatus status) =>
        status is AccountStatus.Active or AccountStatus.InArrangement or AccountStatus.Escalated;

    /// <summary>The sheet of one account as of a date (today in the creditor's zone when not given); null if there is no such account.</summary>
    public static async Task<ChargeSheet?> ForAccountAsync(
        DunwellDb db, long accountId, LocalDate? asOf, Instant now, IDateTimeZoneProvider zones, CancellationToken cancellationToken)
    {
        var account = await db.Accounts.AsNoTracking()
            .Where(a => a.Id == accountId)
            .Select(a => new { a.CreditorId, a.Creditor.TimeZone })
            .SingleOrDefaultAsync(cancellationToken);
        if (account is null)
        {
            return null;
        }

        var date = asOf ?? now.InZone(zones.GetZoneOrNull(account.TimeZone) ?? DateTimeZone.Utc).Date;
        var facts = (await LoadFactsAsync(db, [accountId], cancellationToken)).Single();
        var policy = await CreditorPolicies.PolicyStore.CurrentAsync(db, account.CreditorId, cancellationToken);
        var terms = await CreditorPolicies.PolicyStore.FeeTermsAsync(db, account.CreditorId, zones.GetZoneOrNull(account.TimeZone) ?? DateTimeZone.Utc, cancellationToken);
        var rates = await RatesAsync(db, cancellationToken);
        return Compute(facts, policy.Policy, terms, date, rates.BankOfEngland, rates.Ecb);
    }

    public static async Task<(ReferenceRates BankOfEngland, ReferenceRates Ecb)> RatesAsync(DunwellDb db, CancellationToken cancellationToken) =>
        (await ReferenceRatesApi.LoadAsync(db, ReferenceRatesApi.BankOfEngland, cancellationToken), await ReferenceRatesApi.LoadAsync(db, ReferenceRatesApi.Ecb, cancellationToken));

    /// <summary>
    /// <paramref name="terms"/> are the creditor's fee rules over time (<see cref="FeeTerms.Periods"/>);
    /// <paramref name="policy"/> is the policy in force, for whether statutory interest is claimed.
    /// </summary>
    public static ChargeSheet Compute(
        ChargeFacts facts, CreditorPolicy policy, IReadOnlyList<RulePeriod> terms, LocalDate asOf, ReferenceRates bankOfEngland, ReferenceRates ecb)
    {
        var lines = new List<ChargeLine>();
        var problems = new List<string>();
        var history = PrincipalHistory(facts.Ledger);
        var currency = facts.Currency;

        if (facts.Kind == AccountKind.Commercial && policy.ClaimStatutoryInterest)
        {
            var statutory = currency.Code switch
            {
                "GBP" => UkLatePaymentInterest.Compute(currency, history, facts.DueDate, asOf, bankOfEngland),
                "EUR" => EuLatePaymentInterest.Compute(currency, history, facts.DueDate, asOf, ecb),
                _ => new UkLatePaymentInterest.Result(null, new StatutoryChargeProblem("statutory-interest", $"No statutory late-payment rule is set up for {currency} debts.")),
            };
            if (statutory.Problem is { } problem)
            {
                problems.Add(problem.Message);
            }
            else if (statutory.Charge is { } charge)
            {
                lines.AddRange(charge.Periods.Select(p => new ChargeLine(charge.Rule, charge.Citation, p.From, p.Through, p.Days, p.RateBasisPoints, p.BaseMinor,
                    p.InterestMinor, IsInterest: true, p.Explanation)));
                if (charge.Compensation.Minor > 0)
                {
                    lines.Add(new ChargeLine(charge.Rule + ":fixed-sum", charge.Citation, charge.InterestFrom, charge.InterestFrom, null, null, charge.Debt.Minor,
                        charge.Compensation.Minor, IsInterest: false, "Fixed compensation for the cost of recovering a late payment."));
                }
            }
        }

        var interestRules = terms.Where(t => FeeAccrual.IsInterest(t.Spec.ToRule())).Select(t => t.Spec.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var charge in FeeTerms.Compute(terms, currency, history, facts.DueDate, asOf, [.. facts.Blocked, .. facts.UnderArrangement]))
        {
            lines.Add(new ChargeLine(charge.Rule, null, charge.From, charge.Through, Period.DaysBetween(charge.From, charge.Through) + 1, charge.RateBasisPoints,
                charge.BaseMinor > 0 ? charge.BaseMinor : null, charge.AmountMinor, interestRules.Contains(charge.Rule), charge.Explanation));
        }

        var posted = facts.Ledger
            .Where(r => r.Kind is LedgerEntryKind.Fee or LedgerEntryKind.Interest && r.Reference is not null)
            .GroupBy(r => r.Reference!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (Amount: g.Sum(r => r.Charges), IsInterest: g.First().Kind == LedgerEntryKind.Interest), StringComparer.Ordinal);
        var waived = facts.Ledger
            .Where(r => r.Kind == LedgerEntryKind.Waiver && r.Reference is not null)
            .GroupBy(r => r.Reference!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => -g.Sum(r => r.Charges), StringComparer.Ordinal);
        var due = lines.GroupBy(l => l.Rule, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (Amount: g.Sum(l => l.AmountMinor), g.First().IsInterest), StringComparer.Ordinal);
        // A rule of the terms with nothing due now (its days turned out blocked) is corrected to nothing; an entry under a
        // name the terms never had (posted by hand) is left alone.
        var known = terms.Select(t => t.Spec.Id).ToHashSet(StringComparer.Ordinal);
        var postings = due.Keys.Union(posted.Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .Select(rule => due.TryGetValue(rule, out var d)
                ? new RulePosting(rule, d.IsInterest, Unknown: false, d.Amount, posted.TryGetValue(rule, out var p) ? p.Amount : 0, waived.GetValueOrDefault(rule))
                : new RulePosting(rule, posted[rule].IsInterest, Unknown: !known.Contains(rule) && !IsStatutory(rule), 0, posted[rule].Amount, waived.GetValueOrDefault(rule)))
            .ToList();
        return new ChargeSheet(facts.AccountId, currency, asOf, lines, postings, problems);
    }

    private static bool IsStatutory(string rule) =>
        rule.StartsWith(UkLatePaymentInterest.RuleId, StringComparison.Ordinal) || rule.StartsWith(EuLatePaymentInterest.RuleId, StringComparison.Ordinal);

    /// <summary>The principal from each value date on, from the ledger's running sum.</summary>
    private static List<PrincipalFrom> PrincipalHistory(IReadOnlyList<ChargeLedgerRow> ledger)
    {
        var history = new List<PrincipalFrom>();
        var running = 0L;
        foreach (var day in ledger.GroupBy(r => r.ValueDate).OrderBy(g => g.Key))
        {
            running += day.Sum(r => r.Principal);
            history.Add(new PrincipalFrom(day.Key, running));
        }

        return history;
    }

    /// <summary>Loads the facts of many accounts at once: their ledgers, their disputes and the breathing spaces of their debtors.</summary>
    public static async Task<List<ChargeFacts>> LoadFactsAsync(DunwellDb db, IReadOnlyCollection<long> accountIds, CancellationToken cancellationToken)
    {
        var accounts = await db.Accounts.AsNoTracking()
            .Where(a => accountIds.Contains(a.Id))
            .Select(a => new { a.Id, a.DebtorId, a.Kind, a.Status, a.Currency, a.DueDate, a.Creditor.TimeZone })
            .ToListAsync(cancellationToken);
        var ledger = (await db.Ledger.AsNoTracking()
                .Where(e => accountIds.Contains(e.AccountId))
                .Select(e => new { e.AccountId, Row = new ChargeLedgerRow(e.ValueDate, e.Kind, e.Principal, e.Interest + e.Fees, e.Reference) })
                .ToListAsync(cancellationToken))
            .ToLookup(e => e.AccountId, e => e.Row);
        var debtorIds = accounts.Select(a => a.DebtorId).Distinct().ToList();
        var blocks = (await db.DebtorFlags.AsNoTracking()
                .Where(f => debtorIds.Contains(f.DebtorId) && (f.Kind == DebtorFlagKind.BreathingSpace || f.Kind == DebtorFlagKind.MentalHealthCrisisBreathingSpace))
                .Select(f => new { f.DebtorId, f.Kind, f.Since, f.Until })
                .ToListAsync(cancellationToken))
            .ToLookup(f => f.DebtorId, f => Compliance.ContactQuestion.BreathingSpaceOf(f.Kind, f.Since, f.Until));
        // A dispute stops accrual from the day it is received until the day verification is sent, in the creditor's calendar.
        var zones = accounts.ToDictionary(a => a.Id, a => DateTimeZoneProviders.Tzdb.GetZoneOrNull(a.TimeZone) ?? DateTimeZone.Utc);
        var disputes = (await db.Disputes.AsNoTracking()
                .Where(d => accountIds.Contains(d.AccountId))
                .Select(d => new { d.AccountId, d.ReceivedAt, d.VerifiedAt })
                .ToListAsync(cancellationToken))
            .ToLookup(d => d.AccountId, d => new BlockedPeriod(
                d.ReceivedAt.InZone(zones[d.AccountId]).Date, d.VerifiedAt?.InZone(zones[d.AccountId]).Date ?? LocalDate.MaxIsoValue, "dispute"));
        // An agreed arrangement runs from the day it was agreed (approved, if it waited) to the day it was found kept,
        // completed, broken or defaulted; one still active runs on.
        var arrangements = await db.Arrangements.AsNoTracking()
            .Where(r => accountIds.Contains(r.AccountId) && r.Kind != ArrangementKind.FeeWaiver
                && r.State != ArrangementState.PendingApproval && r.State != ArrangementState.Proposed && r.State != ArrangementState.Cancelled)
            .Select(r => new { r.AccountId, r.State, Agreed = r.DecidedAt ?? r.CreatedAt, r.EvaluatedThrough, r.PolicyVersionId })
            .ToListAsync(cancellationToken);
        var versionIds = arrangements.Select(r => r.PolicyVersionId).OfType<long>().Distinct().ToList();
        var freezes = (await db.PolicyVersions.AsNoTracking().Where(v => versionIds.Contains(v.Id)).Select(v => new { v.Id, v.PolicyJson }).ToListAsync(cancellationToken))
            .ToDictionary(v => v.Id, v => CreditorPolicies.PolicyStore.Read(v.PolicyJson).FreezeChargesDuringArrangements);
        var agreed = arrangements
            .Where(r => r.PolicyVersionId is { } version ? freezes[version] : CreditorPolicy.Default.FreezeChargesDuringArrangements)
            .ToLookup(r => r.AccountId, r => new BlockedPeriod(
                r.Agreed.InZone(zones[r.AccountId]).Date,
                r.State == ArrangementState.Active ? LocalDate.MaxIsoValue : r.EvaluatedThrough ?? r.Agreed.InZone(zones[r.AccountId]).Date,
                "arrangement"));

        // Read as the compliance rules read it: with no end on record a standard space protects its 60 days and a
        // mental health crisis space protects every day from its start until its end is recorded.
        return [.. accounts.Select(a => new ChargeFacts(a.Id, a.Kind, a.Status, Currency.Of(a.Currency), a.DueDate, [.. ledger[a.Id]],
            [.. BreathingSpaces.AccrualBlocks(blocks[a.DebtorId], a.Id.ToString(CultureInfo.InvariantCulture)), .. disputes[a.Id]])
        {
            UnderArrangement = [.. agreed[a.Id]],
        })];
    }
}
