using System.Security.Claims;
using Dunwell.Data;
using Dunwell.Domain.Arrangements;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Dunwell.Features.Arrangements;

/// <summary>
/// What the account page shows of arrangements: the latest ones and the offers policy allows for the viewer. Loaded by
/// the page with its other data (one DbContext, one operation at a time) and rendered by <c>AccountArrangements</c>.
/// </summary>
public sealed record ArrangementsPanel(
    long AccountId, IReadOnlyList<Arrangement> Arrangements, IReadOnlyList<OfferLine> Offers, int PolicyVersion, string Role)
{
    /// <summary>The day the offers are for (the creditor's today); the proposal forms start from it.</summary>
    public LocalDate Today { get; init; }

    /// <summary>The currency the offers and the forms' amounts are in.</summary>
    public string Currency { get; init; } = "";

    /// <summary>Agents and above see the proposal form; auditors do not.</summary>
    public bool CanPropose { get; init; }

    /// <summary>What the last proposal from this page came to, shown once after the redirect.</summary>
    public string? Message { get; init; }

    /// <summary>How each agreed arrangement stands today, instalment by instalment.</summary>
    public IReadOnlyDictionary<long, ArrangementEvaluation> Progress { get; init; } = new Dictionary<long, ArrangementEvaluation>();

    public static async Task<ArrangementsPanel> LoadAsync(
        DunwellDb db, long accountId, ClaimsPrincipal viewer, Instant now, IDateTimeZoneProvider zones, CancellationToken cancellationToken)
    {
        var arrangements = await db.Arrangements.AsNoTracking().Include(a => a.Instalments)
            .Where(a => a.AccountId == accountId).OrderByDescending(a => a.CreatedAt).Take(10).ToListAsync(cancellationToken);
        var context = await ArrangementContext.LoadAsync(db, accountId, now, null, zones, cancellationToken);
        var role = ArrangementContext.RoleOf(viewer);
        if (context is null)
        {
            return new ArrangementsPanel(accountId, arrangements, [], 0, role);
        }

        var progress = await EvaluateArrangements.ProgressAsync(db, arrangements, context.Today, cancellationToken);

        var offers = context.OffersFor(role)
            .Select(x => new OfferLine(x.Offer, x.Decision.NeedsApproval, string.Join(" ", x.Decision.BeyondAuthority.Select(f => f.Message)),
                x.Decision.NeedsApproval && context.ApproverFor(x.Offer) == Domain.Accounts.Roles.Supervisor))
            .ToList();
        return new ArrangementsPanel(accountId, arrangements, offers, context.Policy.Version, role)
        {
            CanPropose = role != Domain.Accounts.Roles.Auditor,
            Progress = progress,
            Today = context.Today,
            Currency = context.Currency.Code,
        };
    }
}

/// <summary>
/// One offer as the viewer sees it: whether their authority covers it, why not, and whether a supervisor could approve it
/// (when not, only an admin could, and the policy is what should change).
/// </summary>
public sealed record OfferLine(Offer Offer, bool NeedsApproval, string Reasons, bool SupervisorMayApprove);
