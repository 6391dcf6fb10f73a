using System.Security.Claims;
using Dunwell.Data;
using Dunwell.Web;
using Dunwell.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using NodaTime;

namespace Dunwell.Features.Arrangements;

/// <summary>The approval page's form post: the same decision as the API, then back to the queue with what happened.</summary>
internal static class ApprovalEndpoints
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost("/approvals/{id:long}", async (long id, [FromForm] string? decision, [FromForm] string? note, DunwellDb db, TimeProvider clock,
                IDateTimeZoneProvider zones, ClaimsPrincipal user, HttpContext http, CancellationToken cancellationToken) =>
            {
                var approve = string.Equals(decision, "approve", StringComparison.Ordinal);
                var result = await DecideArrangement.DecideAsync(id, approve, new DecideArrangement.Decision(note), db, clock, zones, user, cancellationToken);
                var message = result.Result switch
                {
                    Ok<ArrangementResponse> => approve ? "Approved. Its recap to the customer is queued, not sent: Dunwell does not deliver messages yet." : "Rejected; the agent sees your note on the timeline.",
                    ValidationProblem problem => string.Join(" ", problem.ProblemDetails.Errors.SelectMany(e => e.Value)),
                    ProblemHttpResult problem => problem.ProblemDetails.Detail ?? problem.ProblemDetails.Title,
                    _ => "Done.",
                };
                // Out of scope or gone: exactly as a missing record, not a redirect that says so.
                return result.Result is ProblemHttpResult { StatusCode: StatusCodes.Status404NotFound }
                    ? Results.NotFound()
                    : SignedNotice.Redirect(http, "/approvals", "done", message ?? "");
            })
            .RequireAuthorization(Policies.Supervisor);
}
