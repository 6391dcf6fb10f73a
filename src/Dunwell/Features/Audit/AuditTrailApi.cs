using System.Security.Claims;
using Dunwell.Data;
using Dunwell.Web;
using Dunwell.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;

namespace Dunwell.Features.Audit;

/// <summary>
/// GET /api/v1/audit?subject=&amp;actor=&amp;action=&amp;from=&amp;to=&amp;page=&amp;pageSize=: the audit trail, newest first,
/// for auditors and admins. Its events name debtors of every creditor, so it needs a credential acting for every
/// creditor; anyone else gets 403. Reading it is itself recorded.
/// </summary>
public static class AuditTrailApi
{
    public sealed record Item(long Id, DateTimeOffset At, string Actor, string Action, string Subject, string? Detail);

    /// <param name="Items">The page's events, newest first.</param>
    /// <param name="Page">The page number (from 1).</param>
    /// <param name="PageSize">Events per page.</param>
    /// <param name="HasMore">Whether older events follow.</param>
    /// <param name="Next">The next page's address, when there is one.</param>
    /// <param name="Spooled">Read events recorded but not yet in the trail: on SQLite, while another writer (an import) holds the database, reads are recorded in a spool and moved once it is free. 0 when the trail is complete.</param>
    public sealed record Response(IReadOnlyList<Item> Items, int Page, int PageSize, bool HasMore, string? Next, long Spooled);

    public const string NeedsEveryCreditor = "The audit trail and its chains cover every creditor: reading them needs a user or key acting for every creditor.";

    public static RouteHandlerBuilder Map(IEndpointRouteBuilder api) =>
        api.MapGet("/audit", HandleAsync)
            .WithName("AuditTrail")
            .WithSummary("The audit trail by subject, actor, action and time range, newest first, paged")
            .WithTags("Audit")
            .RequireAuthorization(Policies.AdminOrAuditor);

    internal static async Task<Results<Ok<Response>, ValidationProblem, ProblemHttpResult>> HandleAsync(
        string? subject, string? actor, string? action, string? from, string? to, string? page, string? pageSize,
        DunwellDb db, TimeProvider clock, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (!db.Scope.IsUnrestricted)
        {
            return ApiProblems.Forbidden(NeedsEveryCreditor);
        }

        var (filter, errors) = AuditTrailQuery.Parse(subject, actor, action, from, to, page, pageSize);
        if (filter is null)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var (rows, hasMore, spooled) = await AuditTrailQuery.RunAsync(db, filter, cancellationToken);
        await AuditLog.RecordReadAsync(db, user, AuditLog.Actions.AuditRead, "audit", clock.Now(), AuditTrailQuery.Describe(filter), cancellationToken);
        var next = hasMore ? QueryHelpers.AddQueryString("/api/v1/audit", AuditTrailQuery.QueryOf(filter, filter.Page + 1)) : null;
        return TypedResults.Ok(new Response(
            [.. rows.Select(r => new Item(r.Id, r.At.ToDateTimeOffset(), r.Actor, r.Action, r.Subject, r.Detail))], filter.Page, filter.PageSize, hasMore, next, spooled));
    }
}
