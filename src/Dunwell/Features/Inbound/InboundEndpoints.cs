using System.Security.Claims;
using Dunwell.Data;
using Dunwell.Web;
using Dunwell.Web.Auth;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Dunwell.Features.Inbound;

/// <summary>The triage page's form post: assign a message to the account with the reference typed, then back to the queue.</summary>
internal static class InboundEndpoints
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost("/inbound/{id:long}/assign", async (long id, [FromForm] string? account, DunwellDb db, TimeProvider clock, ClaimsPrincipal user,
                HttpContext http, CancellationToken cancellationToken) =>
            {
                var form = $"assign-{id}";
                var reference = account?.Trim();
                var accountId = string.IsNullOrEmpty(reference) ? null
                    : await db.Accounts.Where(a => a.Reference == reference).Select(a => (long?)a.Id).SingleOrDefaultAsync(cancellationToken);
                if (accountId is null)
                {
                    var reason = string.IsNullOrEmpty(reference) ? "Type the reference of the account the message is about." : "No account you can see has that reference.";
                    return PageRefusal.Show(http, typeof(TriagePage), new Dictionary<string, object>(), form, [reason]);
                }

                return await InboundWork.AssignAsync(db, id, accountId.Value, Actor.Of(user), clock.Now(), cancellationToken) switch
                {
                    InboundWorkOutcome.Done => PageNotice.Redirect("/inbound/triage", "assigned", id),
                    InboundWorkOutcome.NotFound => Results.NotFound(),
                    InboundWorkOutcome.Conflict conflict => PageRefusal.Show(http, typeof(TriagePage), new Dictionary<string, object>(), form, [conflict.Detail]),
                    InboundWorkOutcome.Invalid invalid => PageRefusal.Show(http, typeof(TriagePage), new Dictionary<string, object>(), form, [invalid.Message]),
                    var other => throw new InvalidOperationException($"Unexpected outcome {other}."),
                };
            })
            .RequireAuthorization(Policies.Agent);
}
