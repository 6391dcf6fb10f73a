using Dunwell.Data;
using Dunwell.Domain.Accounts;
using Dunwell.Domain.Amounts;
using Dunwell.Domain.Fees;
using Dunwell.Features.Accounts;
using Dunwell.Features.CreditorPolicies;
using Dunwell.Web;
using Dunwell.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using NodaTime.Text;

namespace Dunwell.Features.Charges;

/// <summary>
/// GET /api/v1/accounts/{id}/charges?asOf=YYYY-MM-DD: every fee and interest charge that applies to the account by
/// that date, itemised (rule, period, rate, base, amount, and why in words). Commercial debts get statutory
/// late-payment interest and compensation (UK 1998 Act in pounds, EU Directive 2011/7/EU in euros); every account gets
/// its creditor's fee rules, never on a day a breathing space covers.
/// </summary>
public static class GetCharges
{
    public sealed record Item(string Rule, string? Citation, DateOnly From, DateOnly Through, int? Days, string? Rate, MoneyAmount? Base, MoneyAmount Amount, string Explanation);

    public sealed record Response(long AccountId, DateOnly AsOf, IReadOnlyList<Item> Items, MoneyAmount Total, IReadOnlyList<string> Problems);

    public static RouteHandlerBuilder Map(IEndpointRouteBuilder api) =>
        api.MapGet("/accounts/{id:long}/charges", HandleAsync)
            .WithName(nameof(GetCharges))
            .WithSummary("Itemised statutory interest, compensation and fees as of a date")
            .WithTags("Charges")
            .RequireAuthorization(Policies.Read);

    internal static async Task<Results<Ok<Response>, ValidationProblem, ProblemHttpResult>> HandleAsync(
        long id, string? asOf, DunwellDb db, TimeProvider clock, IDateTimeZoneProvider zones, CancellationToken cancellationToken)
    {
        var account = await db.Accounts.AsNoTracking()
            .Where(a => a.Id == id)
            .Select(a => new { a.Id, a.Kind, a.Currency, a.DueDate, a.CreditorId, a.DebtorId, a.Creditor.TimeZone })
            .SingleOrDefaultAsync(cancellationToken);
        if (account is null)
        {
            return ApiProblems.NotFound("account", id);
        }

        LocalDate date;
        if (asOf is null)
        {
            date = clock.Now().InZone(zones.GetZoneOrNull(account.TimeZone) ?? DateTimeZone.Utc).Date;
        }
        else if (LocalDatePattern.Iso.Parse(asOf) is { Success: true } parsed)
        {
            date = parsed.Value;
        }
        else
        {
            return ApiProblems.Invalid("asOf", $"'{asOf}' is not a date like 2026-03-31.");
        }

        var currency = Currency.Of(account.Currency);
        var balance = await AccountQueries.BalanceAsync(db, id, cancellationToken);
        var debt = new Money(Math.Max(0, balance.Principal), currency);
        var items = new List<Item>();
        var problems = new List<string>();
        long total = 0;

        if (account.Kind == AccountKind.Commercial)
        {
            var statutory = currency.Code switch
            {
                "GBP" => UkLatePaymentInterest.Compute(debt, account.DueDate, date, await ReferenceRatesApi.LoadAsync(db, ReferenceRatesApi.BankOfEngland, cancellationToken)),
                "EUR" => EuLatePaymentInterest.Compute(debt, account.DueDate, date, await ReferenceRatesApi.LoadAsync(db, ReferenceRatesApi.Ecb, cancellationToken)),
                _ => new UkLatePaymentInterest.Result(null, new StatutoryChargeProblem("statutory-interest", $"No statutory late-payment rule is set up for {currency} debts.")),
            };
            if (statutory.Problem is { } problem)
            {
                problems.Add(problem.Message);
            }
            else if (statutory.Charge is { } charge)
            {
                total += charge.Total.Minor;
                items.AddRange(charge.Periods.Select(p => new Item(charge.Rule, charge.Citation, p.From.ToDateOnly(), p.Through.ToDateOnly(), p.Days,
                    Percent(p.RateBasisPoints), Amount(p.BaseMinor, currency), Amount(p.InterestMinor, currency), charge.Explanation)));
                if (charge.Compensation.Minor > 0)
                {
                    items.Add(new Item(charge.Rule + ":fixed-sum", charge.Citation, charge.InterestFrom.ToDateOnly(), charge.InterestFrom.ToDateOnly(), null, null,
                        Amount(debt.Minor, currency), Amount(charge.Compensation.Minor, currency), "Fixed compensation for the cost of recovering a late payment."));
                }
            }
        }

        var policy = await PolicyStore.CurrentAsync(db, account.CreditorId, cancellationToken);
        var blocked = await db.DebtorFlags.AsNoTracking()
            .Where(f => f.DebtorId == account.DebtorId && f.Kind == DebtorFlagKind.BreathingSpace)
            .Select(f => new { f.Since, f.Until })
            .ToListAsync(cancellationToken);
        var fees = FeeAccrual.Compute(policy.Policy.Fees.Select(f => f.ToRule()), debt, account.DueDate, date,
            [.. blocked.Select(b => new BlockedPeriod(b.Since, b.Until ?? LocalDate.MaxIsoValue, "breathing space"))]);
        total += fees.Sum(f => f.AmountMinor);
        items.AddRange(fees.Select(f => new Item(f.Rule, null, f.From.ToDateOnly(), f.Through.ToDateOnly(), Period.DaysBetween(f.From, f.Through) + 1,
            f.RateBasisPoints is { } bp ? Percent(bp) : null, f.BaseMinor > 0 ? Amount(f.BaseMinor, currency) : null, Amount(f.AmountMinor, currency), f.Explanation)));

        return TypedResults.Ok(new Response(id, date.ToDateOnly(), items, Amount(total, currency), problems));
    }

    private static MoneyAmount Amount(long minor, Currency currency) => new(currency.Code, MoneyText.Format(minor, currency.Exponent));

    private static string Percent(int basisPoints) => $"{MoneyText.Format(basisPoints, 2)}%";
}
