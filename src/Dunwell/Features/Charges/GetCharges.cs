using System.Security.Claims;
using Dunwell.Data;
using Dunwell.Domain.Amounts;
using Dunwell.Domain.Inputs;
using Dunwell.Web;
using Dunwell.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
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

    /// <summary>
    /// Per rule: what it has earned by the date, what is on the ledger for it, what waivers took off it, and what the
    /// next posting run adds.
    /// </summary>
    public sealed record RuleTotal(string Rule, string Component, MoneyAmount Due, MoneyAmount Posted, MoneyAmount Waived, MoneyAmount ToPost);

    public sealed record Response(
        long AccountId, DateOnly AsOf, IReadOnlyList<Item> Items, MoneyAmount Total, IReadOnlyList<RuleTotal> Rules, MoneyAmount Posted, MoneyAmount Waived,
        IReadOnlyList<string> Problems);

    public static RouteHandlerBuilder Map(IEndpointRouteBuilder api) =>
        api.MapGet("/accounts/{id:long}/charges", HandleAsync)
            .WithName(nameof(GetCharges))
            .WithSummary("Itemised statutory interest, compensation and fees as of a date, and what of them is posted")
            .WithTags("Charges")
            .RequireAuthorization(Policies.Read);

    internal static async Task<Results<Ok<Response>, ValidationProblem, ProblemHttpResult>> HandleAsync(
        long id, string? asOf, DunwellDb db, TimeProvider clock, IDateTimeZoneProvider zones, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        LocalDate? date = null;
        if (asOf is not null)
        {
            if (!Plausible.TryParseDate(asOf, out var parsed, out var error))
            {
                return ApiProblems.Invalid("asOf", $"'{JsonInput.Shown(asOf)}' {error}.");
            }

            date = parsed;
        }

        var sheet = await ChargeSheet.ForAccountAsync(db, id, date, clock.Now(), zones, cancellationToken);
        if (sheet is null)
        {
            return ApiProblems.NotFound("account", id);
        }

        await AuditLog.RecordAccountReadAsync(db, user, AuditLog.Actions.ChargesRead, id, clock.Now(), cancellationToken, $"asOf={LocalDatePattern.Iso.Format(sheet.AsOf)}");
        return TypedResults.Ok(ToWire(sheet));
    }

    public static Response ToWire(ChargeSheet sheet)
    {
        var currency = sheet.Currency;
        MoneyAmount Amount(long minor) => new(currency.Code, MoneyText.Format(minor, currency.Exponent));
        return new Response(sheet.AccountId, sheet.AsOf.ToDateOnly(),
            [.. sheet.Lines.Select(l => new Item(l.Rule, l.Citation, l.From.ToDateOnly(), l.Through.ToDateOnly(), l.Days,
                l.RateBasisPoints is { } bp ? Percent(bp) : null, l.BaseMinor is { } b ? Amount(b) : null, Amount(l.AmountMinor), l.Explanation))],
            Amount(sheet.TotalMinor),
            [.. sheet.Rules.Select(r => new RuleTotal(r.Rule, r.IsInterest ? "interest" : "fees", Amount(r.DueMinor), Amount(r.PostedMinor), Amount(r.WaivedMinor), Amount(r.ToPostMinor)))],
            Amount(sheet.PostedMinor),
            Amount(sheet.WaivedMinor),
            sheet.Problems);
    }

    public static string Percent(int basisPoints) => $"{MoneyText.Format(basisPoints, 2)}%";
}
