using System.Security.Claims;
using Dunwell.Data;
using Dunwell.Web;
using Dunwell.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using NodaTime;

namespace Dunwell.Features.Arrangements;

/// <summary>
/// The approval page's form post: the same decision as the API, then back to the queue with what was decided, or the
/// queue again, as 422, with why not beside that proposal and the note as typed.
/// </summary>
internal static class ApprovalEndpoints
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost("/approvals/{id:long}", async (long id, [FromForm] string? decision, [FromForm] string? note, DunwellDb db, TimeProvider clock,
                IDateTimeZoneProvider zones, ClaimsPrincipal user, HttpContext http, CancellationToken cancellationToken) =>
            {
                var approve = string.Equals(decision, "approve", StringComparison.Ordinal);
                var result = await DecideArrangement.DecideAsync(id, approve, new DecideArrangement.Decision(note), db, clock, zones, user, cancellationToken);
                return result.Result switch
                {
                    Ok<ArrangementResponse> => PageNotice.Redirect("/approvals", approve ? "approved" : "rejected", id),
                    // Out of scope or gone: exactly as a missing record, not a page that says so.
                    ProblemHttpResult { StatusCode: StatusCodes.Status404NotFound } => Results.NotFound(),
                    var refused => PageRefusal.Show(http, typeof(ApprovalsPage), new Dictionary<string, object>(), $"decide-{id}", PageRefusal.ReasonsOf(refused)),
                };
            })
            .RequireAuthorization(Policies.Supervisor);
}
