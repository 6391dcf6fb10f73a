using System.Security.Claims;
using Dunwell.Data;
using Dunwell.Features.Accounts;
using Dunwell.Web;
using Dunwell.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using NodaTime;

namespace Dunwell.Features.Debtors;

/// <summary>GET /api/v1/debtors/{id}: the debtor with contacts, preferences and flags. The read is audited.</summary>
public static class GetDebtor
{
    public static RouteHandlerBuilder Map(IEndpointRouteBuilder api) =>
        api.MapGet("/debtors/{id:long}", HandleAsync)
            .WithName(nameof(GetDebtor))
            .WithSummary("A debtor with contacts, preferences and flags")
            .WithTags("Debtors")
            .RequireAuthorization(Policies.Read);

    internal static async Task<Results<Ok<DebtorResponse>, ProblemHttpResult>> HandleAsync(
        long id, DunwellDb db, TimeProvider clock, IDateTimeZoneProvider zones, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var now = clock.Now();
        var debtor = await AccountQueries.GetDebtorAsync(db, id, now, zones, cancellationToken);
        if (debtor is null)
        {
            return ApiProblems.NotFound("debtor", id);
        }

        await AuditLog.RecordReadAsync(db, user, AuditLog.Actions.DebtorRead, $"debtor:{id}", now, cancellationToken);
        return TypedResults.Ok(DebtorResponse.From(debtor));
    }
}
