using System.Security.Claims;
using Dunwell.Data;
using Dunwell.Web;
using Dunwell.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dunwell.Features.Audit;

/// <summary>
/// GET /api/v1/audit/verify: walks the hash chains of the ledger, the interactions and the audit trail and answers
/// whether they are intact, with the first broken link (table, id, chain, position, what differs). Auditors and
/// admins acting for every creditor. The answer is 200 either way: the check itself succeeded; <c>intact</c> says what it found.
/// </summary>
public static class AuditVerifyApi
{
    public const string Action = "audit.verify";

    /// <param name="Intact">Whether every chain checked is whole.</param>
    /// <param name="Rows">Rows checked.</param>
    /// <param name="Chains">Chains checked.</param>
    /// <param name="Broken">Broken links found.</param>
    /// <param name="FirstBreak">The first broken link: table, id, chain, position and what differs.</param>
    /// <param name="Spooled">Recent read events not yet checked: on SQLite they wait in a spool while another writer (an import) holds the database. 0 when everything recorded was checked.</param>
    public sealed record Response(bool Intact, long Rows, long Chains, long Broken, ChainBreak? FirstBreak, long Spooled);

    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/audit/verify", HandleAsync)
            .WithName("VerifyAuditChains")
            .WithSummary("Check the tamper-evident hash chains of the ledger, interactions and audit trail; the first broken link if any")
            .WithTags("Audit")
            .RequireAuthorization(Policies.AdminOrAuditor);

    internal static async Task<Results<Ok<Response>, ProblemHttpResult>> HandleAsync(DunwellDb db, TimeProvider clock, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        // Every creditor's rows are checked (a chain whole or not at all), and a break names ids and what differs: only a
        // credential acting for every creditor may ask.
        if (!db.Scope.IsUnrestricted)
        {
            return ApiProblems.Forbidden(AuditTrailApi.NeedsEveryCreditor);
        }

        var report = await AuditVerify.RunAsync(db, cancellationToken);
        // Recorded as a read (spooled on SQLite), so checking never waits for a long import either.
        await AuditLog.RecordReadAsync(db, user, Action, "audit:chains", clock.Now(), report.Intact ? "intact" : $"broken: {report.FirstBreak}", cancellationToken);
        return TypedResults.Ok(new Response(report.Intact, report.Rows, report.Chains, report.Broken, report.FirstBreak, report.Spooled));
    }
}
