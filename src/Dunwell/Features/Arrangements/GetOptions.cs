using System.Security.Claims;
using Dunwell.Data;
using Dunwell.Domain.Amounts;
using Dunwell.Domain.Arrangements;
using Dunwell.Domain.Inputs;
using Dunwell.Web;
using Dunwell.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using NodaTime;
using NodaTime.Text;

namespace Dunwell.Features.Arrangements;

/// <summary>
/// GET /api/v1/accounts/{id}/options?asOf=YYYY-MM-DD: the offers the creditor's policy allows for this account, each
/// fully specified, and whether the caller may agree it or needs a supervisor's approval first.
/// </summary>
public static class GetOptions
{
    public sealed record Offer(
        OfferKind Kind,
        string Summary,
        MoneyAmount TotalPayable,
        MoneyAmount Discount,
        DateOnly PayBy,
        Frequency? Frequency,
        IReadOnlyList<InstalmentWire> Instalments,
        bool NeedsApproval,
        IReadOnlyList<FindingWire> NeedsApprovalBecause);

    public sealed record Response(long AccountId, DateOnly AsOf, MoneyBreakdown Balance, int DaysPastDue, int PolicyVersion, string Role, IReadOnlyList<Offer> Offers);

    public static RouteHandlerBuilder Map(IEndpointRouteBuilder api) =>
        api.MapGet("/accounts/{id:long}/options", HandleAsync)
            .WithName(nameof(GetOptions))
            .WithSummary("The offers the creditor's policy allows for this account as of a date")
            .WithTags("Arrangements")
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

        var context = await ArrangementContext.LoadAsync(db, id, clock.Now(), date, zones, cancellationToken);
        if (context is null)
        {
            return ApiProblems.NotFound("account", id);
        }

        await AuditLog.RecordAccountReadAsync(db, user, AuditLog.Actions.OptionsRead, id, clock.Now(), cancellationToken, $"asOf={LocalDatePattern.Iso.Format(context.Today)}");
        var role = ArrangementContext.RoleOf(user);
        var offers = context.OffersFor(role)
            .Select(x => new Offer(x.Offer.Kind, x.Offer.Summary, Amount(x.Offer.TotalPayable), Amount(x.Offer.Discount), x.Offer.PayBy.ToDateOnly(),
                x.Offer.Frequency, [.. x.Offer.Instalments.Select(i => new InstalmentWire(i.Number, i.DueOn.ToDateOnly(), Amount(i.Amount)))],
                x.Decision.NeedsApproval, [.. x.Decision.BeyondAuthority.Select(f => new FindingWire(f.Limit, f.Message))]))
            .ToList();
        return TypedResults.Ok(new Response(id, context.Today.ToDateOnly(), MoneyBreakdown.Of(context.Balance, context.Currency.Code),
            context.DaysPastDue, context.Policy.Version, role, offers));
    }

    private static MoneyAmount Amount(Money money) => new(money.Currency.Code, money.ToMajorString());
}
