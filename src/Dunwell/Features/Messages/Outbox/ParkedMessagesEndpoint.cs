using System.Security.Claims;
using Dunwell.Data;
using Dunwell.Web;
using Dunwell.Web.Auth;
using Microsoft.AspNetCore.Mvc;

namespace Dunwell.Features.Messages.Outbox;

/// <summary>The parked-messages page's form post: a supervisor's answer for one message, then back to the list.</summary>
internal static class ParkedMessagesEndpoint
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost("/outbox/{id:long}/reconcile", async (long id, [FromForm] bool arrived, DunwellDb db, TimeProvider clock, ClaimsPrincipal user,
                CancellationToken cancellationToken) =>
            await ParkedMessages.ReconcileAsync(db, id, arrived, Actor.Of(user), clock.Now(), cancellationToken)
                ? PageNotice.Redirect("/outbox/parked", arrived ? "sent" : "again", id)
                : Results.NotFound())
            .RequireAuthorization(Policies.Supervisor);
}
