using System.Globalization;
using System.Security.Claims;
using Dunwell.Data;
using Dunwell.Domain.Accounts;
using Dunwell.Features.Compliance;
using Dunwell.Features.Messages.Outbox;
using Dunwell.Web;
using Dunwell.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Dunwell.Features.Messages;

/// <summary>
/// POST /api/v1/accounts/{id}/messages queues an agent's own words to the debtor, by email or text message. The text is
/// linted first (a blocking finding refuses it, with the findings in the problem details) and screened by the
/// compliance engine as it is queued; the sender screens it again when it goes, on the channel it was written for.
/// </summary>
public static class QueueMessageApi
{
    public const int MaxEmailText = 20_000;
    public const int MaxSmsText = 1_600;

    /// <summary>channel is email or sms; subject is for email (a plain default when left out); text is sent as written.</summary>
    public sealed record Request(InteractionChannel? Channel, string? Subject, string? Text, string? Language);

    public sealed record Response(long Id, OutboxState State, InteractionChannel Channel, string? Subject, string? HeldReason, string? QueueDecision, string? LintVerdict);

    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/accounts/{id:long}/messages", QueueAsync)
            .WithName("QueueMessage")
            .WithSummary("Queue an agent's own message to the debtor by email or SMS; linted and screened before it is queued")
            .WithTags("Messages")
            .RequireAuthorization(Policies.Agent);

    internal static async Task<Results<Created<Response>, ValidationProblem, ProblemHttpResult>> QueueAsync(
        long id, [FromBody] Request request, DunwellDb db, TimeProvider clock, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (!await db.Accounts.AnyAsync(a => a.Id == id, cancellationToken))
        {
            return ApiProblems.NotFound("account", id);
        }

        var errors = Validate(request);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var now = clock.Now();
        var channel = request.Channel!.Value;
        var message = new OutboxMessage
        {
            AccountId = id,
            Channel = channel,
            TemplateKey = "agent-message",
            IdempotencyKey = string.Create(CultureInfo.InvariantCulture, $"agent:{id}:{Guid.NewGuid():N}"),
            SendAfter = now,
            State = OutboxState.Queued,
            CreatedAt = now,
            QueuedBy = Actor.Of(user),
            PreRendered = true,
            Subject = channel == InteractionChannel.Email ? (string.IsNullOrWhiteSpace(request.Subject) ? "A message about your account" : request.Subject.Trim()) : null,
            BodyText = request.Text!.Trim(),
            Language = string.IsNullOrWhiteSpace(request.Language) ? null : request.Language.Trim(),
        };

        var lint = OutboxLint.Check(message, ContactQuestion.ChannelOf(channel)!.Value);
        if (lint is { Blocks: true })
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status422UnprocessableEntity,
                title: "The message linter blocked this text",
                detail: "Reword the parts it found; nothing was queued.",
                extensions: new Dictionary<string, object?> { ["verdict"] = lint.Verdict, ["findings"] = lint.Findings });
        }

        OutboxLint.Keep(message, lint);
        db.Outbox.Add(message);
        await OutboxGate.ScreenAsync(db, [message], now, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/v1/accounts/{id}/messages/{message.Id}",
            new Response(message.Id, message.State, message.Channel, message.Subject, message.HeldReason, message.QueueDecision, message.LintVerdict));
    }

    private static Dictionary<string, string[]> Validate(Request request)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (request.Channel is not (InteractionChannel.Email or InteractionChannel.Sms))
        {
            errors["channel"] = ["Say email or sms: an agent's message goes by email or text message."];
        }

        var max = request.Channel == InteractionChannel.Sms ? MaxSmsText : MaxEmailText;
        if (string.IsNullOrWhiteSpace(request.Text))
        {
            errors["text"] = ["Write the message to send."];
        }
        else if (request.Text.Length > max)
        {
            errors["text"] = [$"At most {max} characters on this channel ({request.Text.Length} given)."];
        }

        if (request.Subject is { Length: > 200 })
        {
            errors["subject"] = ["At most 200 characters."];
        }

        if (request.Language is { Length: > 35 })
        {
            errors["language"] = ["A language tag like en-US or es."];
        }

        return errors;
    }
}
