using System.Globalization;
using System.Security.Claims;
using Dunwell.Data;
using Dunwell.Domain.Arrangements;
using Dunwell.Web;
using Dunwell.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Dunwell.Features.Arrangements;

/// <summary>
/// The account page's proposal forms (a promise, a plan, a settlement) and its "Waive fees and interest" form: the same
/// proposal as the API (policy, authority, approval), then back to the account with what was agreed or proposed, or the
/// page again, as 422, with why not beside the form that was sent and what was typed still in it. Every field arrives as
/// text and is read here, so a cleared or mistyped field is a message on the page, never a bare 400.
/// </summary>
internal static class ProposeFromPage
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost("/accounts/{id:long}/arrangements", async (long id, [FromForm] string? kind, [FromForm] string? firstPaymentOn,
                [FromForm] string? frequency, [FromForm] string? instalments, [FromForm] string? total, [FromForm] string? downPayment,
                [FromForm] string? waive, [FromForm] string? note, DunwellDb db, TimeProvider clock,
                IDateTimeZoneProvider zones, ClaimsPrincipal user, HttpContext http, CancellationToken cancellationToken) =>
            {
                // Out of scope or gone: exactly as a missing account, before anything about the form is said.
                if (!await db.Accounts.AnyAsync(a => a.Id == id, cancellationToken))
                {
                    return Results.NotFound();
                }

                var parsedKind = Enum.TryParse<ArrangementKind>(kind, ignoreCase: true, out var k) ? k : (ArrangementKind?)null;
                var form = FormOf(parsedKind);
                var errors = new List<string>();
                int? count = null;
                if (!string.IsNullOrWhiteSpace(instalments))
                {
                    if (int.TryParse(instalments.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n))
                    {
                        count = n;
                    }
                    else
                    {
                        errors.Add($"The number of payments must be a whole number; '{instalments.Trim()}' is not.");
                    }
                }

                DateOnly? first = null;
                if (!string.IsNullOrWhiteSpace(firstPaymentOn))
                {
                    if (DateOnly.TryParseExact(firstPaymentOn.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                    {
                        first = date;
                    }
                    else
                    {
                        errors.Add("The payment date must be a date like 2026-03-31.");
                    }
                }

                if (errors.Count > 0)
                {
                    return PageRefusal.OnAccount(http, id, form, errors);
                }

                var request = new ProposeArrangement.Request(
                    parsedKind,
                    Blank(total),
                    first,
                    Enum.TryParse<Frequency>(frequency, ignoreCase: true, out var f) ? f : null,
                    count,
                    Blank(downPayment),
                    Blank(note))
                { Waive = Blank(waive) };
                var result = await ProposeArrangement.HandleAsync(id, request, db, clock, zones, user, cancellationToken);
                return result.Result switch
                {
                    Created<ArrangementResponse> created => PageNotice.Redirect($"/accounts/{id}", "arrangement", created.Value!.Id,
                        parsedKind == ArrangementKind.FeeWaiver ? "charges-title" : "options-title"),
                    ProblemHttpResult { StatusCode: StatusCodes.Status404NotFound } => Results.NotFound(), // out of scope or gone: exactly as a missing account
                    var refused => PageRefusal.OnAccount(http, id, form, PageRefusal.ReasonsOf(refused)),
                };
            })
            .RequireAuthorization(Policies.Agent);

    /// <summary>The page's form for each kind; a post without a kind is answered above all of them.</summary>
    public static string FormOf(ArrangementKind? kind) => kind switch
    {
        ArrangementKind.FeeWaiver => "waiver",
        ArrangementKind.Promise => "propose-promise",
        ArrangementKind.Plan => "propose-plan",
        ArrangementKind.Settlement => "propose-settlement",
        _ => "propose",
    };

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
