using System.Security.Claims;
using Dunwell.Data;
using Dunwell.Domain.Accounts;
using Dunwell.Web;
using Dunwell.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Dunwell.Features.Interactions;

/// <summary>
/// POST /api/v1/accounts/{id}/interactions records a call outcome, message or note (append-only; a correction is a new
/// interaction with <c>corrects</c> naming the one it corrects). GET lists the account's interactions newest first,
/// each with <c>correctedBy</c>; the read is audited.
/// </summary>
public static class InteractionsApi
{
    public const string ReadAction = "interaction.read";

    /// <summary>occurredAt is ISO-8601 with an offset; it defaults to now.</summary>
    public sealed record Request(
        InteractionChannel? Channel,
        InteractionDirection? Direction,
        DateTimeOffset? OccurredAt,
        OutcomeCode? Outcome,
        bool? Conversation,
        string? Notes,
        long? Corrects)
    {
        /// <summary>The debtor contact (phone, email, address) used, by id.</summary>
        public long? ContactId { get; init; }

        /// <summary>What an outbound contact was for; collection unless said (a reply, a validation notice, a notice the law requires…).</summary>
        public Domain.Compliance.ContactPurpose? Purpose { get; init; }

        /// <summary>
        /// Every account of the debtor it was about, the one in the path among them (a call about several debts); the
        /// one in the path alone when left out. It counts for each in the contact rules and shows on each timeline.
        /// </summary>
        public IReadOnlyList<long>? Accounts { get; init; }
    }

    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapPost("/accounts/{id:long}/interactions", RecordAsync)
            .WithName("RecordInteraction")
            .WithSummary("Record a call, message, letter, portal action or note; corrections name the interaction they correct")
            .WithTags("Interactions")
            .RequireAuthorization(Policies.Agent);

        api.MapGet("/accounts/{id:long}/interactions", ListAsync)
            .WithName("ListInteractions")
            .WithSummary("The account's interactions, newest first, with the corrections of each")
            .WithTags("Interactions")
            .RequireAuthorization(Policies.Read);

        api.MapGet("/accounts/{id:long}/interactions/{interactionId:long}", GetAsync)
            .WithName("GetInteraction")
            .WithSummary("One interaction, with the corrections that name it")
            .WithTags("Interactions")
            .RequireAuthorization(Policies.Read);
    }

    internal static async Task<Results<Ok<InteractionResponse>, ProblemHttpResult>> GetAsync(
        long id, long interactionId, DunwellDb db, TimeProvider clock, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var debtorId = await db.Accounts.Where(a => a.Id == id).Select(a => (long?)a.DebtorId).SingleOrDefaultAsync(cancellationToken);
        var found = debtorId is null ? [] : await InteractionTimeline.OfAsync(db, id, debtorId.Value, cancellationToken, only: interactionId);
        if (!found.Any(i => i.Id == interactionId))
        {
            return ApiProblems.NotFound("interaction", interactionId);
        }

        await AuditLog.RecordReadAsync(db, user, ReadAction, $"debtor:{debtorId}", clock.Now(), cancellationToken);
        return TypedResults.Ok(InteractionResponse.From(id, found).Single(i => i.Id == interactionId));
    }

    internal static async Task<Results<Created<InteractionResponse>, ValidationProblem, ProblemHttpResult>> RecordAsync(
        long id, [FromBody] Request request, DunwellDb db, TimeProvider clock, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var input = new InteractionInput(
            request.Channel,
            request.Direction,
            request.OccurredAt is { } at ? Instant.FromDateTimeOffset(at) : null,
            request.Outcome,
            request.Conversation,
            request.Notes,
            request.Corrects)
        { ContactId = request.ContactId, Purpose = request.Purpose, Accounts = request.Accounts };
        var outcome = await RecordInteraction.RunAsync(db, id, input, Actor.Of(user), clock.Now(), cancellationToken);
        return outcome switch
        {
            InteractionOutcome.Recorded recorded => TypedResults.Created(
                $"/api/v1/accounts/{id}/interactions/{recorded.Interaction.Id}",
                InteractionResponse.From(id, InteractionTimeline.Line(recorded.Interaction), [])),
            InteractionOutcome.Invalid invalid => TypedResults.ValidationProblem(invalid.Errors),
            InteractionOutcome.AccountNotFound => ApiProblems.NotFound("account", id),
            _ => throw new InvalidOperationException($"Unexpected interaction outcome {outcome}."),
        };
    }

    internal static async Task<Results<Ok<IReadOnlyList<InteractionResponse>>, ProblemHttpResult>> ListAsync(
        long id, DunwellDb db, TimeProvider clock, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var debtorId = await db.Accounts.Where(a => a.Id == id).Select(a => (long?)a.DebtorId).SingleOrDefaultAsync(cancellationToken);
        if (debtorId is null)
        {
            return ApiProblems.NotFound("account", id);
        }

        var lines = await InteractionTimeline.OfAsync(db, id, debtorId.Value, cancellationToken);

        await AuditLog.RecordReadAsync(db, user, ReadAction, $"debtor:{debtorId}", clock.Now(), cancellationToken);
        return TypedResults.Ok(InteractionResponse.From(id, lines));
    }
}
