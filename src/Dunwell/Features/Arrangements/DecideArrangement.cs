using System.Security.Claims;
using System.Text.Json;
using Dunwell.Data;
using Dunwell.Domain.Arrangements;
using Dunwell.Features.CreditorPolicies;
using Dunwell.Web;
using Dunwell.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Dunwell.Features.Arrangements;

/// <summary>
/// The approval queue: GET /api/v1/approvals lists arrangements pending approval with their reasons;
/// POST /api/v1/arrangements/{id}/approve activates one (only if the approver's own authority covers it) and
/// POST /api/v1/arrangements/{id}/reject cancels it with a reason. Each decision is written on the timeline.
/// </summary>
public static class DecideArrangement
{
    public sealed record Decision(string? Note);

    public sealed record PendingItem(string AccountReference, ArrangementResponse Arrangement);

    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/approvals", QueueAsync)
            .WithName("ApprovalQueue").WithSummary("Arrangements waiting for a supervisor's approval, oldest first")
            .WithTags("Arrangements").RequireAuthorization(Policies.SupervisorOrAuditor);
        api.MapGet("/arrangements/{id:long}", GetAsync)
            .WithName("GetArrangement").WithSummary("One arrangement with its schedule and state")
            .WithTags("Arrangements").RequireAuthorization(Policies.Read);
        api.MapPost("/arrangements/{id:long}/approve", (long id, [FromBody] Decision decision, DunwellDb db, TimeProvider clock, IDateTimeZoneProvider zones, ClaimsPrincipal user, CancellationToken ct) =>
                DecideAsync(id, approve: true, decision, db, clock, zones, user, ct))
            .WithName("ApproveArrangement").WithSummary("Approve a pending arrangement: it becomes active and the customer is told")
            .WithTags("Arrangements").RequireAuthorization(Policies.Supervisor);
        api.MapPost("/arrangements/{id:long}/reject", (long id, [FromBody] Decision decision, DunwellDb db, TimeProvider clock, IDateTimeZoneProvider zones, ClaimsPrincipal user, CancellationToken ct) =>
                DecideAsync(id, approve: false, decision, db, clock, zones, user, ct))
            .WithName("RejectArrangement").WithSummary("Reject a pending arrangement, with a reason")
            .WithTags("Arrangements").RequireAuthorization(Policies.Supervisor);
    }

    public static async Task<IReadOnlyList<PendingItem>> PendingAsync(DunwellDb db, CancellationToken cancellationToken)
    {
        var pending = await db.Arrangements.AsNoTracking().Include(a => a.Instalments)
            .Where(a => a.State == ArrangementState.PendingApproval)
            .OrderBy(a => a.CreatedAt)
            .Take(200)
            .ToListAsync(cancellationToken);
        var accountIds = pending.Select(a => a.AccountId).Distinct().ToList();
        var references = await db.Accounts.Where(a => accountIds.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.Reference, cancellationToken);
        var versions = await VersionsAsync(db, pending, cancellationToken);
        return [.. pending.Select(a => new PendingItem(references[a.AccountId], Response(a, versions)))];
    }

    internal static async Task<Ok<IReadOnlyList<PendingItem>>> QueueAsync(DunwellDb db, TimeProvider clock, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var pending = await PendingAsync(db, cancellationToken);
        await RecordQueueReadAsync(db, user, pending, clock.Now(), cancellationToken);
        return TypedResults.Ok(pending);
    }

    /// <summary>The queue shows each listed debtor's arrangement: one read event per debtor, naming the accounts, as a search does.</summary>
    public static async Task RecordQueueReadAsync(DunwellDb db, ClaimsPrincipal user, IReadOnlyList<PendingItem> pending, Instant now, CancellationToken cancellationToken)
    {
        var accountIds = pending.Select(p => p.Arrangement.AccountId).Distinct().ToList();
        var debtors = await db.Accounts.Where(a => accountIds.Contains(a.Id)).Select(a => new { a.Id, a.DebtorId }).ToListAsync(cancellationToken);
        await AuditLog.RecordReadsAsync(db, user, now,
            [.. debtors.GroupBy(d => d.DebtorId).Select(g => new AuditLog.Read(AuditLog.Actions.ApprovalsRead, $"debtor:{g.Key}",
                "accounts=" + string.Join(',', g.Select(d => d.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)))))],
            cancellationToken);
    }

    internal static async Task<Results<Ok<ArrangementResponse>, ProblemHttpResult>> GetAsync(
        long id, DunwellDb db, TimeProvider clock, IDateTimeZoneProvider zones, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var arrangement = await db.Arrangements.AsNoTracking().Include(a => a.Instalments).SingleOrDefaultAsync(a => a.Id == id, cancellationToken);
        if (arrangement is null)
        {
            return ApiProblems.NotFound("arrangement", id);
        }

        var zone = await db.Accounts.Where(a => a.Id == arrangement.AccountId).Select(a => a.Creditor.TimeZone).SingleAsync(cancellationToken);
        var today = clock.Now().InZone(zones.GetZoneOrNull(zone) ?? DateTimeZone.Utc).Date;
        var progress = await EvaluateArrangements.ProgressAsync(db, [arrangement], today, cancellationToken);
        await AuditLog.RecordAccountReadAsync(db, user, AuditLog.Actions.ArrangementRead, arrangement.AccountId, clock.Now(), cancellationToken, $"arrangement:{id}");
        return TypedResults.Ok(Response(arrangement, await VersionsAsync(db, [arrangement], cancellationToken)) with
        {
            Progress = progress.TryGetValue(arrangement.Id, out var p) ? ArrangementProgressWire.From(arrangement, today, p) : null,
        });
    }

    public static async Task<Results<Ok<ArrangementResponse>, ValidationProblem, ProblemHttpResult>> DecideAsync(
        long id, bool approve, Decision decision, DunwellDb db, TimeProvider clock, IDateTimeZoneProvider zones, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var now = clock.Now();
        if (!approve && string.IsNullOrWhiteSpace(decision.Note))
        {
            return ApiProblems.Invalid("note", "Say why the arrangement is rejected; the agent sees it on the timeline.");
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var arrangement = await db.Arrangements.Include(a => a.Instalments).SingleOrDefaultAsync(a => a.Id == id, cancellationToken);
        if (arrangement is null)
        {
            return ApiProblems.NotFound("arrangement", id);
        }

        await AccountLock.TakeAsync(db, arrangement.AccountId, cancellationToken);
        if (arrangement.State != ArrangementState.PendingApproval)
        {
            return ApiProblems.Conflict($"The arrangement is {arrangement.State}, not pending approval.");
        }

        var actor = Actor.Of(user);
        var role = ArrangementContext.RoleOf(user);
        if (approve)
        {
            // An approver can only approve what their own authority covers, under the policy the proposal was checked against.
            var context = await ArrangementContext.LoadAsync(db, arrangement.AccountId, now, null, zones, cancellationToken);
            var policy = arrangement.PolicyVersionId is { } versionId ? await PolicyStore.VersionAsync(db, versionId, cancellationToken) : context!.Policy.Policy;
            var proposedOn = LocalDate.FromDateTime(arrangement.CreatedAt.ToDateTimeUtc());
            var terms = new ProposedTerms(arrangement.Kind, context!.Currency, arrangement.BalanceMinor, arrangement.TotalMinor,
                arrangement.Instalments.Select(i => i.DueOn).DefaultIfEmpty(proposedOn).Min(), arrangement.Instalments.Select(i => i.DueOn).DefaultIfEmpty(proposedOn).Max(),
                arrangement.Instalments.Count, arrangement.Instalments.Select(i => i.AmountMinor).DefaultIfEmpty(0).Min(), arrangement.Frequency, arrangement.FeeWaiverMinor)
            {
                FirstInstalmentMinor = arrangement.Instalments.OrderBy(i => i.Number).Select(i => i.AmountMinor).FirstOrDefault(),
            };
            var check = Authority.Check(terms, policy, role, context.DaysPastDue, proposedOn);
            if (check.NeedsApproval || check.Refused)
            {
                return ApiProblems.Forbidden($"These terms are beyond your authority too: {string.Join(" ", check.BeyondAuthority.Concat(check.OutsidePolicy).Select(f => f.Message))}");
            }

            // Approving would promise what can no longer be kept: a payment date already gone, or a debt no longer collected.
            if (arrangement.Kind != ArrangementKind.FeeWaiver && arrangement.Instalments.Min(i => i.DueOn) < context.Today)
            {
                return ApiProblems.Conflict(
                    $"The first payment date, {arrangement.Instalments.Min(i => i.DueOn):yyyy-MM-dd}, has passed; reject this and propose new dates with the customer.");
            }

            var status = await db.Accounts.Where(a => a.Id == arrangement.AccountId).Select(a => a.Status).SingleAsync(cancellationToken);
            if (arrangement.Kind != ArrangementKind.FeeWaiver && status is not (Domain.Accounts.AccountStatus.Active or Domain.Accounts.AccountStatus.InArrangement or Domain.Accounts.AccountStatus.Escalated))
            {
                return ApiProblems.Conflict($"The account is {status} now; reject this proposal, since nothing can be agreed on it.");
            }
        }

        var account = await db.Accounts.Include(a => a.Creditor).SingleAsync(a => a.Id == arrangement.AccountId, cancellationToken);
        arrangement.DecidedBy = actor;
        arrangement.DecidedAt = now;
        arrangement.DecisionNote = decision.Note?.Trim();
        IReadOnlyList<OutboxMessage> queued = [];
        if (approve)
        {
            var balance = await Accounts.AccountQueries.BalanceAsync(db, account.Id, cancellationToken);
            queued = await ArrangementActivation.ActivateAsync(db, arrangement, account, balance, actor, now, zones.GetZoneOrNull(account.Creditor.TimeZone) ?? DateTimeZone.Utc, cancellationToken);
        }
        else
        {
            arrangement.State = ArrangementState.Cancelled;
        }

        await db.Tasks.Where(t => t.Cause == $"approval:{id}" && t.ClosedAt == null)
            .ExecuteUpdateAsync(set => set.SetProperty(t => t.ClosedAt, now).SetProperty(t => t.ClosedBy, actor), cancellationToken);
        TimelineNote.Add(db, account, actor, now, $"{ProposeArrangement.Describe(arrangement)}: {(approve ? "approved" : "rejected")} by {actor}{(arrangement.DecisionNote is { Length: > 0 } note ? $" ({note})" : "")}.");
        AuditLog.Add(db, actor, approve ? "arrangement.approve" : "arrangement.reject", $"account:{account.Id}", now, $"arrangement:{id}");
        await db.SaveChangesAsync(cancellationToken);
        await Compliance.OutboxGate.ScreenAsync(db, queued, now, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Ok(Response(arrangement, await VersionsAsync(db, [arrangement], cancellationToken)));
    }

    private static async Task<Dictionary<long, int>> VersionsAsync(DunwellDb db, IReadOnlyList<Arrangement> arrangements, CancellationToken cancellationToken)
    {
        var ids = arrangements.Select(a => a.PolicyVersionId).OfType<long>().Distinct().ToList();
        return await db.PolicyVersions.Where(v => ids.Contains(v.Id)).ToDictionaryAsync(v => v.Id, v => v.Version, cancellationToken);
    }

    private static ArrangementResponse Response(Arrangement a, Dictionary<long, int> versions) =>
        ArrangementResponse.From(a, a.PolicyVersionId is { } v && versions.TryGetValue(v, out var n) ? n : null,
            a.PolicyFindingsJson is { } json ? JsonSerializer.Deserialize<List<LimitFinding>>(json, PolicyStore.Json) ?? [] : []);
}
