using System.Security.Claims;
using Dunwell.Data;
using Dunwell.Domain.Arrangements;
using Dunwell.Web;
using Dunwell.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using NodaTime;

namespace Dunwell.Features.Arrangements;

/// <summary>
/// The account page's "Propose an arrangement" and "Waive fees and interest" forms: the same proposal as the API (policy, authority, approval),
/// then back to the account with what happened. A double submit finds the first proposal and is refused as a conflict.
/// </summary>
internal static class ProposeFromPage
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost("/accounts/{id:long}/arrangements", async (long id, [FromForm] string? kind, [FromForm] string? firstPaymentOn,
                [FromForm] string? frequency, [FromForm] int? instalments, [FromForm] string? total, [FromForm] string? downPayment,
                [FromForm] string? waive, [FromForm] string? note, DunwellDb db, TimeProvider clock,
                IDateTimeZoneProvider zones, ClaimsPrincipal user, HttpContext http, CancellationToken cancellationToken) =>
            {
                var request = new ProposeArrangement.Request(
                    Enum.TryParse<ArrangementKind>(kind, ignoreCase: true, out var k) ? k : null,
                    string.IsNullOrWhiteSpace(total) ? null : total.Trim(),
                    DateOnly.TryParseExact(firstPaymentOn, "yyyy-MM-dd", out var first) ? first : null,
                    Enum.TryParse<Frequency>(frequency, ignoreCase: true, out var f) ? f : null,
                    instalments,
                    string.IsNullOrWhiteSpace(downPayment) ? null : downPayment.Trim(),
                    string.IsNullOrWhiteSpace(note) ? null : note.Trim())
                { Waive = string.IsNullOrWhiteSpace(waive) ? null : waive.Trim() };
                var isWaiver = request.Kind == ArrangementKind.FeeWaiver;
                var result = await ProposeArrangement.HandleAsync(id, request, db, clock, zones, user, cancellationToken);
                var message = result.Result switch
                {
                    Created<ArrangementResponse> created => created.Value!.State == ArrangementState.PendingApproval
                        ? "Proposed. It needs a supervisor's approval before anything is confirmed to the customer: "
                            + string.Join(" ", created.Value.NeedsApprovalBecause.Select(r => r.Message))
                        : isWaiver ? "Waived. A message telling the customer what was taken off is queued, not sent." : "Agreed. A recap and payment reminders are queued for the customer.",
                    ValidationProblem problem => "Not proposed: " + string.Join(" ", problem.ProblemDetails.Errors.SelectMany(e => e.Value)),
                    ProblemHttpResult problem => "Not proposed: " + (problem.ProblemDetails.Detail ?? problem.ProblemDetails.Title),
                    _ => "Done.",
                };
                if (result.Result is ProblemHttpResult { StatusCode: StatusCodes.Status404NotFound })
                {
                    return Results.NotFound(); // out of scope or gone: exactly as a missing account
                }

                return isWaiver
                    ? SignedNotice.Redirect(http, $"/accounts/{id}", "charges", message, "charges-title")
                    : SignedNotice.Redirect(http, $"/accounts/{id}", "arrangement", message, "options-title");
            })
            .RequireAuthorization(Policies.Agent);
}
