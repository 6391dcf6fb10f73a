using System.Security.Claims;
using Dunwell.Data;
using Dunwell.Domain.Accounts;
using Dunwell.Domain.Arrangements;
using Dunwell.Features.Accounts;
using Dunwell.Features.Arrangements;
using Dunwell.Web;
using Dunwell.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using NodaTime.Text;

namespace Dunwell.Features.Disputes;

/// <summary>
/// POST /api/v1/accounts/{id}/disputes/{disputeId}/verification: records that verification of the debt (US) or the
/// outcome of the investigation (UK) was sent, which closes the dispute. When no open dispute is left, a Disputed
/// account goes back to collection: in arrangement if an arrangement is active, paid if nothing is owed, else active.
/// A dispute is verified once; a second time is a conflict. Written on the timeline and in the audit trail.
/// </summary>
public static class VerifyDispute
{
    /// <summary><c>sentAt</c>: when the verification was sent (ISO-8601 with an offset), not before the dispute was received.</summary>
    public sealed record Request(DateTimeOffset? SentAt, string? Note);

    public static RouteHandlerBuilder Map(IEndpointRouteBuilder api) =>
        api.MapPost("/accounts/{id:long}/disputes/{disputeId:long}/verification", HandleAsync)
            .WithName(nameof(VerifyDispute))
            .WithSummary("Record that verification of a disputed debt was sent; the account goes back to collection when no dispute is left open")
            .WithTags("Disputes")
            .RequireAuthorization(Policies.Agent);

    internal static async Task<Results<Ok<DisputeChange>, ValidationProblem, ProblemHttpResult>> HandleAsync(
        long id, long disputeId, [FromBody] Request request, DunwellDb db, TimeProvider clock, IDateTimeZoneProvider zones, ClaimsPrincipal user,
        CancellationToken cancellationToken)
    {
        var sentAt = request.SentAt is { } at ? Instant.FromDateTimeOffset(at) : (Instant?)null;
        var outcome = await RunAsync(db, id, disputeId, sentAt, request.Note, Actor.Of(user), clock.Now(), zones, cancellationToken);
        return outcome switch
        {
            DisputeOutcome.Done done => TypedResults.Ok(new DisputeChange(DisputeResponse.From(id, done.Dispute, done.Currency), done.Status)),
            DisputeOutcome.Invalid invalid => TypedResults.ValidationProblem(invalid.Errors),
            DisputeOutcome.AlreadyVerified already => ApiProblems.Conflict(
                $"Verification of dispute {disputeId} was already recorded as sent at {InstantPattern.General.Format(already.Dispute.VerifiedAt!.Value)}.", "sentAt"),
            DisputeOutcome.DisputeNotFound => ApiProblems.NotFound("dispute", disputeId),
            DisputeOutcome.AccountNotFound => ApiProblems.NotFound("account", id),
            _ => throw new InvalidOperationException($"Unexpected dispute outcome {outcome}."),
        };
    }

    public static async Task<DisputeOutcome> RunAsync(
        DunwellDb db, long accountId, long disputeId, Instant? sentAt, string? note, string actor, Instant now, IDateTimeZoneProvider zones,
        CancellationToken cancellationToken)
    {
        await using var transaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        await AccountLock.TakeAsync(db, accountId, cancellationToken);
        var account = await db.Accounts.Include(a => a.Creditor).SingleOrDefaultAsync(a => a.Id == accountId, cancellationToken);
        if (account is null)
        {
            return new DisputeOutcome.AccountNotFound();
        }

        var dispute = await db.Disputes.SingleOrDefaultAsync(d => d.Id == disputeId && d.AccountId == accountId, cancellationToken);
        if (dispute is null)
        {
            return new DisputeOutcome.DisputeNotFound();
        }

        if (dispute.VerifiedAt is not null)
        {
            return new DisputeOutcome.AlreadyVerified(RecordDispute.Line(dispute));
        }

        var errors = new Dictionary<string, string[]>();
        if (sentAt is not { } sent)
        {
            errors["sentAt"] = ["Say when the verification was sent (ISO-8601 with an offset, like 2026-03-20T15:00:00Z)."];
        }
        else if (sent > now)
        {
            errors["sentAt"] = ["Record verification once it has been sent, not before."];
        }
        else if (sent < dispute.ReceivedAt)
        {
            errors["sentAt"] = [$"Verification cannot be sent before the dispute was received ({InstantPattern.General.Format(dispute.ReceivedAt)})."];
        }

        if (note is { Length: > RecordDispute.MaxNote })
        {
            errors["note"] = [$"Keep the note under {RecordDispute.MaxNote} characters."];
        }

        if (errors.Count > 0)
        {
            return new DisputeOutcome.Invalid(errors);
        }

        dispute.VerifiedAt = sentAt;
        dispute.VerifiedBy = actor;
        var openLeft = await db.Disputes.CountAsync(d => d.AccountId == accountId && d.Id != disputeId && d.VerifiedAt == null, cancellationToken);
        var activeArrangement = await db.Arrangements.AnyAsync(
            a => a.AccountId == accountId && a.State == ArrangementState.Active && a.Kind != ArrangementKind.FeeWaiver, cancellationToken);
        var balance = await AccountQueries.BalanceAsync(db, accountId, cancellationToken);
        var before = account.Status;
        account.Status = DisputeRules.StatusAfterVerification(before, openLeft, activeArrangement, balance.Total);
        account.UpdatedAt = now;

        var zone = zones.GetZoneOrNull(account.Creditor.TimeZone) ?? DateTimeZone.Utc;
        var back = account.Status != before ? $" No dispute is left open; the account is {Show.Status(account.Status).ToLowerInvariant()} again." : "";
        var why = note?.Trim() is { Length: > 0 } text ? " " + text : "";
        TimelineNote.Add(db, account, actor, now,
            $"Verification sent on {Show.When(sentAt!.Value, zone)} for the dispute received on {Show.When(dispute.ReceivedAt, zone)}.{back}{why}");
        AuditLog.Add(db, actor, AuditLog.Actions.DisputeVerify, $"account:{accountId}", now,
            detail: $"dispute:{dispute.Id} verification sent {InstantPattern.General.Format(sentAt.Value)}");
        await db.SaveChangesAsync(cancellationToken);
        if (transaction is not null)
        {
            await transaction.CommitAsync(cancellationToken);
        }

        return new DisputeOutcome.Done(RecordDispute.Line(dispute), account.Status, account.Currency);
    }
}
