using System.Security.Claims;
using Dunwell.Data;
using Dunwell.Web;
using Dunwell.Web.Auth;
using Microsoft.AspNetCore.Antiforgery;

namespace Dunwell.Features.Messages.Letters;

/// <summary>The letters page's download and "mark as posted" form posts. Supervisors and admins only.</summary>
internal static class LetterBatchEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        // A POST: downloading closes an open batch, so it changes what later letters join (a GET must change nothing).
        app.MapPost("/letters/{id:long}/pdf", async (long id, DunwellDb db, TimeProvider clock, ClaimsPrincipal user, CancellationToken cancellationToken) =>
                await LetterBatches.DownloadAsync(db, id, Actor.Of(user), clock.Now(), cancellationToken) is { } download
                    ? Results.File(download.Pdf, "application/pdf", LetterBatches.FileName(download.Batch))
                    : Results.NotFound())
            .WithMetadata(new RequireAntiforgeryTokenAttribute())
            .RequireAuthorization(Policies.Supervisor);

        app.MapPost("/letters/{id:long}/posted", async (long id, DunwellDb db, TimeProvider clock, ClaimsPrincipal user, CancellationToken cancellationToken) =>
                await LetterBatches.MarkPostedAsync(db, id, Actor.Of(user), clock.Now(), cancellationToken) switch
                {
                    LetterBatches.PostedResult.NotFound => Results.NotFound(),
                    LetterBatches.PostedResult.NotDownloaded => Results.Conflict("Download and print the batch before marking it posted."),
                    LetterBatches.PostedResult.AlreadyPosted => PageNotice.Redirect("/letters", "posted", id, again: true),
                    _ => PageNotice.Redirect("/letters", "posted", id),
                })
            .WithMetadata(new RequireAntiforgeryTokenAttribute())
            .RequireAuthorization(Policies.Supervisor);
    }
}
