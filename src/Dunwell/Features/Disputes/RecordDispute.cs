using System.Security.Claims;
using Dunwell.Data;
using Dunwell.Domain.Accounts;
using Dunwell.Domain.Amounts;
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

/// <summary>A dispute as the caller states it: when it was received, in writing or orally, the amount (null: the whole debt).</summary>
public sealed record DisputeInput(Instant? ReceivedAt, bool? Written, string? Amount, string? Note);

public abstract record DisputeOutcome
{
    public sealed record Done(DisputeLine Dispute, AccountStatus Status, string Currency) : DisputeOutcome;

    public sealed record AccountNotFound : DisputeOutcome;

    public sealed record DisputeNotFound : DisputeOutcome;

    public sealed record AlreadyVerified(DisputeLine Dispute) : DisputeOutcome;

    /// <summary>Shape or business problems, keyed by field name (RFC 9457 "errors").</summary>
    public sealed record Invalid(Dictionary<string, string[]> Errors) : DisputeOutcome;
}

/// <summary>
/// Records a dispute of an account, whole or in part: validates it (received in the past, the amount more than zero
/// and no more than the balance), saves it, writes it on the timeline and in the audit trail, and puts the account on
/// hold as Disputed when the whole debt is disputed. Used by the API and the account page.
/// <para>
/// POST /api/v1/accounts/{id}/disputes requires an <c>Idempotency-Key</c> (see <see cref="Idempotency"/>): a retry
/// replays the first answer and never records the dispute twice.
/// </para>
/// </summary>
public static class RecordDispute
{
    public const int MaxNote = 1000;

    /// <summary>
    /// <c>receivedAt</c>: when the dispute reached the collector (ISO-8601 with an offset); <c>written</c>: true for a
    /// letter, email or portal message, false for a call; <c>amount</c>: a decimal string in the account's currency, or
    /// left out when the whole debt is disputed.
    /// </summary>
    public sealed record Request(DateTimeOffset? ReceivedAt, bool? Written, string? Amount, string? Note);

    public static RouteHandlerBuilder Map(IEndpointRouteBuilder api) =>
        api.MapPost("/accounts/{id:long}/disputes", HandleAsync)
            .WithName(nameof(RecordDispute))
            .WithSummary("Record a dispute of the whole debt or part of it (requires an Idempotency-Key header)")
            .WithTags("Disputes")
            .RequireAuthorization(Policies.Agent)
            .RequireIdempotencyKey();

    internal static async Task<Results<Created<DisputeChange>, ValidationProblem, ProblemHttpResult>> HandleAsync(
        long id, [FromBody] Request request, DunwellDb db, TimeProvider clock, IDateTimeZoneProvider zones, ClaimsPrincipal user,
        CancellationToken cancellationToken)
    {
        var input = new DisputeInput(request.ReceivedAt is { } at ? Instant.FromDateTimeOffset(at) : null, request.Written, request.Amount, request.Note);
        var outcome = await RunAsync(db, id, input, Actor.Of(user), clock.Now(), zones, cancellationToken);
        return outcome switch
        {
            DisputeOutcome.Done done => TypedResults.Created(
                $"/api/v1/accounts/{id}/disputes/{done.Dispute.Id}",
                new DisputeChange(DisputeResponse.From(id, done.Dispute, done.Currency), done.Status)),
            DisputeOutcome.Invalid invalid => TypedResults.ValidationProblem(invalid.Errors),
            DisputeOutcome.AccountNotFound => ApiProblems.NotFound("account", id),
            _ => throw new InvalidOperationException($"Unexpected dispute outcome {outcome}."),
        };
    }

    public static async Task<DisputeOutcome> RunAsync(
        DunwellDb db, long accountId, DisputeInput input, string actor, Instant now, IDateTimeZoneProvider zones, CancellationToken cancellationToken)
    {
        await using var transaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        await AccountLock.TakeAsync(db, accountId, cancellationToken);
        var account = await db.Accounts.Include(a => a.Creditor).SingleOrDefaultAsync(a => a.Id == accountId, cancellationToken);
        if (account is null)
        {
            return new DisputeOutcome.AccountNotFound();
        }

        var balance = await AccountQueries.BalanceAsync(db, accountId, cancellationToken);
        var errors = Validate(input, account.Currency, balance.Total, now, out var amountMinor);
        if (errors.Count > 0)
        {
            return new DisputeOutcome.Invalid(errors);
        }

        var dispute = new Dispute
        {
            AccountId = accountId,
            ReceivedAt = input.ReceivedAt!.Value,
            Written = input.Written!.Value,
            AmountMinor = amountMinor,
            Note = input.Note?.Trim() is { Length: > 0 } note ? note : null,
            RecordedBy = actor,
            RecordedAt = now,
        };
        db.Disputes.Add(dispute);
        await db.SaveChangesAsync(cancellationToken);

        var before = account.Status;
        account.Status = DisputeRules.StatusAfterDispute(before, amountMinor, balance.Total);
        account.UpdatedAt = now;
        var zone = zones.GetZoneOrNull(account.Creditor.TimeZone) ?? DateTimeZone.Utc;
        // Kept on the timeline, so in one locale whoever records it.
        var what = amountMinor is { } minor ? $"of {MoneyText.Written(minor, account.Currency)}" : "of the whole debt";
        var held = account.Status != before
            ? " The account is on hold as disputed until verification is sent."
            : " Collection of the disputed amount waits until verification is sent.";
        TimelineNote.Add(db, account, actor, now,
            $"Dispute {what} received {(dispute.Written ? "in writing" : "orally")} on {Show.When(dispute.ReceivedAt, zone)}.{held}{(dispute.Note is null ? "" : " " + dispute.Note)}",
            OutcomeCode.Dispute);
        var amount = amountMinor is { } disputed ? MoneyText.Written(disputed, account.Currency) : "whole debt";
        AuditLog.Add(db, actor, AuditLog.Actions.DisputeCreate, $"account:{accountId}", now,
            detail: $"dispute:{dispute.Id} {amount}, {(dispute.Written ? "written" : "oral")}, received {InstantPattern.General.Format(dispute.ReceivedAt)}");
        await db.SaveChangesAsync(cancellationToken);
        if (transaction is not null)
        {
            await transaction.CommitAsync(cancellationToken);
        }

        return new DisputeOutcome.Done(Line(dispute), account.Status, account.Currency);
    }

    /// <summary>Shape rules; <paramref name="amountMinor"/> is the disputed amount in minor units, or null for the whole debt.</summary>
    public static Dictionary<string, string[]> Validate(DisputeInput input, string currency, long balanceMinor, Instant now, out long? amountMinor)
    {
        amountMinor = null;
        var errors = new Dictionary<string, string[]>();
        if (input.ReceivedAt is not { } received)
        {
            errors["receivedAt"] = ["Say when the dispute was received (ISO-8601 with an offset, like 2026-03-02T09:30:00Z)."];
        }
        else if (received > now)
        {
            errors["receivedAt"] = ["A dispute cannot be received in the future."];
        }

        if (input.Written is null)
        {
            errors["written"] = ["Say whether the dispute came in writing (true: a letter, email or portal message) or orally (false)."];
        }

        if (input.Amount is { } text)
        {
            var exponent = Currency.Of(currency).Exponent;
            if (!MoneyText.TryParse(text, exponent, out var minor, out var problem))
            {
                errors["amount"] = [$"Amount {problem}."];
            }
            else if (minor <= 0)
            {
                errors["amount"] = ["A disputed amount must be more than zero; leave it out when the whole debt is disputed."];
            }
            else if (minor > balanceMinor)
            {
                errors["amount"] = [$"The disputed amount is more than the balance of {MoneyText.Written(Math.Max(0, balanceMinor), currency)}; leave it out when the whole debt is disputed."];
            }
            else
            {
                amountMinor = minor;
            }
        }

        if (input.Note is { Length: > MaxNote })
        {
            errors["note"] = [$"Keep the note under {MaxNote} characters."];
        }

        return errors;
    }

    public static DisputeLine Line(Dispute d) =>
        new(d.Id, d.ReceivedAt, d.Written, d.AmountMinor, d.Note, d.VerifiedAt, d.VerifiedBy, d.RecordedBy, d.RecordedAt);
}
