using System.Security.Claims;
using Dunwell.Data;
using Dunwell.Features.Accounts;
using Dunwell.Web;
using Dunwell.Web.Auth;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Dunwell.Features.Disputes;

/// <summary>
/// The account page's "Record a dispute" and "Verification sent" forms: the same handlers as the API, then back to the
/// account with what happened, or the page again with why not and what was typed. Times are read in the creditor's zone, as the page shows them. A double submit of the
/// dispute form finds the dispute it recorded and says so instead of recording it twice.
/// </summary>
internal static class DisputeFromPage
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapPost("/accounts/{id:long}/disputes", async (long id, [FromForm] string? receivedAt, [FromForm] string? written,
                [FromForm] string? amount, [FromForm] string? note, DunwellDb db, TimeProvider clock, IDateTimeZoneProvider zones,
                ClaimsPrincipal user, HttpContext http, CancellationToken cancellationToken) =>
            {
                var zone = await CreditorZoneAsync(db, id, zones, cancellationToken);
                if (zone is null)
                {
                    return Results.NotFound();
                }

                var input = new DisputeInput(
                    Show.ParseInput(receivedAt, zone),
                    written switch { "written" => true, "oral" => false, _ => null },
                    string.IsNullOrWhiteSpace(amount) ? null : amount.Trim(),
                    string.IsNullOrWhiteSpace(note) ? null : note.Trim());
                var actor = Actor.Of(user);
                if (input.ReceivedAt is { } at && input.Written is { } w
                    && await db.Disputes.Where(d => d.AccountId == id && d.ReceivedAt == at && d.Written == w && d.RecordedBy == actor)
                        .Select(d => (long?)d.Id).FirstOrDefaultAsync(cancellationToken) is { } recordedBefore)
                {
                    return PageNotice.Redirect($"/accounts/{id}", "dispute", recordedBefore, "disputes-title", again: true);
                }

                var outcome = await RecordDispute.RunAsync(db, id, input, actor, clock.Now(), zones, cancellationToken);
                return outcome switch
                {
                    DisputeOutcome.Done done => PageNotice.Redirect($"/accounts/{id}", "dispute", done.Dispute.Id, "disputes-title"),
                    DisputeOutcome.Invalid invalid => PageRefusal.OnAccount(http, id, "dispute", Messages(invalid.Errors)),
                    _ => Results.NotFound(),
                };
            })
            .RequireAuthorization(Policies.Agent);

        app.MapPost("/accounts/{id:long}/disputes/{disputeId:long}/verification", async (long id, long disputeId, [FromForm] string? sentAt,
                [FromForm] string? note, DunwellDb db, TimeProvider clock, IDateTimeZoneProvider zones, ClaimsPrincipal user,
                HttpContext http, CancellationToken cancellationToken) =>
            {
                var zone = await CreditorZoneAsync(db, id, zones, cancellationToken);
                if (zone is null)
                {
                    return Results.NotFound();
                }

                var outcome = await VerifyDispute.RunAsync(db, id, disputeId, Show.ParseInput(sentAt, zone),
                    string.IsNullOrWhiteSpace(note) ? null : note.Trim(), Actor.Of(user), clock.Now(), zones, cancellationToken);
                return outcome switch
                {
                    DisputeOutcome.Done => PageNotice.Redirect($"/accounts/{id}", "verification", disputeId, "disputes-title"),
                    DisputeOutcome.AlreadyVerified => PageNotice.Redirect($"/accounts/{id}", "verification", disputeId, "disputes-title", again: true),
                    DisputeOutcome.Invalid invalid => PageRefusal.OnAccount(http, id, $"verify-{disputeId}", Messages(invalid.Errors)),
                    _ => Results.NotFound(),
                };
            })
            .RequireAuthorization(Policies.Agent);
    }

    private static async Task<DateTimeZone?> CreditorZoneAsync(DunwellDb db, long accountId, IDateTimeZoneProvider zones, CancellationToken cancellationToken)
    {
        var zoneId = await db.Accounts.Where(a => a.Id == accountId).Select(a => a.Creditor.TimeZone).SingleOrDefaultAsync(cancellationToken);
        return zoneId is null ? null : zones.GetZoneOrNull(zoneId) ?? DateTimeZone.Utc;
    }

    private static IEnumerable<string> Messages(Dictionary<string, string[]> errors) => errors.SelectMany(e => e.Value);
}
