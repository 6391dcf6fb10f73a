using Dunwell.Data;
using Dunwell.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using NodaTime;

namespace Dunwell.Features.Accounts;

/// <summary>The accounts page's htmx fragment: the results table for a search, with the full-page URL pushed to the address bar.</summary>
internal static class AccountPageEndpoints
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/accounts/results", async Task<RazorComponentResult<AccountResults>> (
                string? q, int? page, HttpContext context, DunwellDb db, TimeProvider clock, IDateTimeZoneProvider zones) =>
            {
                var listing = await AccountListingQuery.LoadAsync(db, q, page ?? 1, context.User, clock.Now(), zones, context.RequestAborted);
                context.Response.Headers["HX-Push-Url"] = listing.PageUrl(listing.Page);
                context.Response.Headers.CacheControl = "no-store";
                return new RazorComponentResult<AccountResults>(new { Listing = listing });
            })
            .RequireAuthorization(Policies.Read);
}
