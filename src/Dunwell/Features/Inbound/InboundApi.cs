using System.Security.Claims;
using Dunwell.Data;
using Dunwell.Domain.Accounts;
using Dunwell.Domain.Inbound;
using Dunwell.Domain.Inputs;
using Dunwell.Web;
using Dunwell.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Dunwell.Features.Inbound;

/// <summary>A customer's message as the API shows it.</summary>
/// <param name="Id">The inbound message id.</param>
/// <param name="Channel">email, sms or portal.</param>
/// <param name="State">recorded (on an account) or triage (waiting for a person).</param>
/// <param name="ReceivedAt">When it arrived; the reply deadline counts from it.</param>
/// <param name="From">The sender's address or number.</param>
/// <param name="To">The address or number it was sent to.</param>
/// <param name="Subject">An email's subject.</param>
/// <param name="Body">The text, card numbers masked.</param>
/// <param name="AccountId">The account it is on, once recorded.</param>
/// <param name="MatchedBy">How: reply-header, address, number, address+reference, number+reference or assigned.</param>
/// <param name="TriageReason">Why it waits for a person, while it is in triage.</param>
/// <param name="Flags">What its words ask for, for the agent: stop, dispute, attorney, hardship.</param>
/// <param name="OptedOut">A bare STOP by SMS opted the number out when it arrived.</param>
/// <param name="TaskId">The reply task.</param>
/// <param name="InteractionId">The inbound interaction on the timeline.</param>
public sealed record InboundMessageWire(
    long Id, InteractionChannel Channel, InboundState State, Instant ReceivedAt, string From, string? To, string? Subject, string Body,
    long? AccountId, string? MatchedBy, string? TriageReason, IReadOnlyList<string> Flags, bool OptedOut, long? TaskId, long? InteractionId)
{
    public static InboundMessageWire Of(InboundMessage m) => new(m.Id, m.Channel, m.State, m.ReceivedAt, m.From, m.To, m.Subject, m.Body,
        m.AccountId, m.MatchedBy, m.TriageReason, FlagNames(m.Flags), m.OptedOut, m.TaskId, m.InteractionId);

    public static IReadOnlyList<string> FlagNames(InboundSignals flags) =>
        [.. Enum.GetValues<InboundSignals>().Where(f => f != InboundSignals.None && flags.HasFlag(f)).Select(f => f.ToString().ToLowerInvariant())];
}

/// <summary>An open task and where it stands against its deadline.</summary>
/// <param name="Id">The task id.</param>
/// <param name="AccountId">The account it is about.</param>
/// <param name="AccountReference">The account's reference.</param>
/// <param name="Kind">callback, brokenPromise, inboundReply…</param>
/// <param name="Title">What to do.</param>
/// <param name="DueAt">The deadline.</param>
/// <param name="DeadlineState">onTime, dueSoon (within two hours) or breached.</param>
/// <param name="CreatedAt">When it was opened.</param>
public sealed record TaskWire(long Id, long AccountId, string AccountReference, WorkTaskKind Kind, string Title, Instant DueAt, DeadlineState DeadlineState, Instant CreatedAt);

public sealed record TaskList(IReadOnlyList<TaskWire> Tasks);

/// <summary>Response-time figures over a period.</summary>
/// <param name="From">Start of the period.</param>
/// <param name="To">End of the period (now).</param>
/// <param name="Received">Messages put on accounts in the period (reply tasks opened).</param>
/// <param name="Answered">Of them, those answered.</param>
/// <param name="MedianMinutes">Median minutes from a message's arrival to its reply queued; null when none was answered.</param>
/// <param name="P90Minutes">90th percentile of the same, nearest rank.</param>
/// <param name="OpenPastDeadline">Messages still unanswered after their deadline.</param>
/// <param name="BreachesPerDay">Replies late or missing, by the day they were due (the creditor's calendar).</param>
public sealed record ResponseTimesWire(Instant From, Instant To, int Received, int Answered, double? MedianMinutes, double? P90Minutes, int OpenPastDeadline, IReadOnlyList<BreachDayWire> BreachesPerDay);

/// <summary>Missed deadlines on one day.</summary>
/// <param name="Date">The day the replies were due, YYYY-MM-DD in the creditor's calendar.</param>
/// <param name="Breaches">How many were late or are still unanswered.</param>
public sealed record BreachDayWire(string Date, int Breaches);

public sealed record AssignRequest(long? AccountId);

public sealed record ReplyRequest(string? Text, string? Subject);

/// <summary>The reply, queued.</summary>
/// <param name="InboundMessageId">The message it answers.</param>
/// <param name="OutboxMessageId">The queued reply in the outbox.</param>
/// <param name="State">Its state after the queue-time check (queued, or held with the reason).</param>
/// <param name="HeldReason">Why the rules hold or move it, in words.</param>
public sealed record ReplyQueued(long InboundMessageId, long OutboxMessageId, OutboxState State, string? HeldReason);

/// <summary>
/// GET /api/v1/tasks (open tasks by deadline, for the worklist), GET /api/v1/inbound/response-times, GET and assign an
/// inbound message, and queue the reply to one. Scoped by creditor like every query: another creditor's message or task
/// reads as not found.
/// </summary>
public static class InboundApi
{
    public const string ReadAction = "inbound.read";

    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/tasks", ListTasksAsync)
            .WithName("ListTasks").WithSummary("Open tasks, nearest deadline first, with where each stands against it")
            .WithTags("Tasks").RequireAuthorization(Policies.Read);
        api.MapGet("/inbound/response-times", ResponseTimesAsync)
            .WithName("GetResponseTimes").WithSummary("How fast customers' messages were answered: median, 90th percentile, breaches per day")
            .WithTags("Inbound").RequireAuthorization(Policies.Read);
        api.MapGet("/inbound/{id:long}", GetAsync)
            .WithName("GetInboundMessage").WithSummary("One message a customer sent, as recorded")
            .WithTags("Inbound").RequireAuthorization(Policies.Read);
        api.MapPost("/inbound/{id:long}/assign", AssignAsync)
            .WithName("AssignInboundMessage").WithSummary("Put a message from triage on an account: timeline entry and reply task")
            .WithTags("Inbound").RequireAuthorization(Policies.Agent);
        api.MapPost("/inbound/{id:long}/reply", ReplyAsync)
            .WithName("ReplyToInboundMessage").WithSummary("Queue the answer to a customer's message, as a reply to it")
            .WithTags("Inbound").RequireAuthorization(Policies.Agent);
    }

    internal static async Task<Results<Ok<TaskList>, ValidationProblem>> ListTasksAsync(
        string? kind, string? dueBefore, DunwellDb db, TimeProvider clock, CancellationToken cancellationToken)
    {
        WorkTaskKind? parsedKind = null;
        if (kind is not null)
        {
            if (!Enum.TryParse<WorkTaskKind>(kind, ignoreCase: true, out var k) || int.TryParse(kind, out _))
            {
                return ApiProblems.Invalid("kind", $"Say which kind: {string.Join(", ", Enum.GetNames<WorkTaskKind>().Select(Camel))}.");
            }

            parsedKind = k;
        }

        Instant? before = null;
        if (dueBefore is not null)
        {
            if (!Plausible.TryParseInstant(dueBefore, out var parsed, out var error))
            {
                return ApiProblems.Invalid("dueBefore", $"'{JsonInput.Shown(dueBefore)}' {error}.");
            }

            before = parsed.ToInstant();
        }

        var lines = await ReplyTasks.OpenAsync(db, parsedKind, before, clock.Now(), cancellationToken);
        return TypedResults.Ok(new TaskList([.. lines.Select(l => new TaskWire(l.Id, l.AccountId, l.AccountReference, l.Kind, l.Title, l.DueAt, l.DeadlineState, l.CreatedAt))]));
    }

    internal static async Task<Results<Ok<ResponseTimesWire>, ValidationProblem>> ResponseTimesAsync(int? days, DunwellDb db, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (days is < 1 or > 366)
        {
            return ApiProblems.Invalid("days", "Look back 1 to 366 days (30 when left out).");
        }

        var f = await ReplyTasks.FiguresAsync(db, days ?? 30, clock.Now(), cancellationToken);
        return TypedResults.Ok(new ResponseTimesWire(f.From, f.To, f.Received, f.Answered, f.Median?.TotalMinutes, f.P90?.TotalMinutes, f.OpenPastDeadline,
            [.. f.BreachesPerDay.Select(d => new BreachDayWire(NodaTime.Text.LocalDatePattern.Iso.Format(d.Date), d.Breaches))]));
    }

    internal static async Task<Results<Ok<InboundMessageWire>, ProblemHttpResult>> GetAsync(
        long id, DunwellDb db, TimeProvider clock, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var message = await db.InboundMessages.AsNoTracking().SingleOrDefaultAsync(m => m.Id == id, cancellationToken);
        if (message is null)
        {
            return ApiProblems.NotFound("inbound message", id);
        }

        await AuditLog.RecordReadAsync(db, user, ReadAction, message.DebtorId is { } debtor ? $"debtor:{debtor}" : $"inbound:{id}", clock.Now(), cancellationToken);
        return TypedResults.Ok(InboundMessageWire.Of(message));
    }

    internal static async Task<Results<Ok<InboundMessageWire>, ValidationProblem, ProblemHttpResult>> AssignAsync(
        long id, [FromBody] AssignRequest request, DunwellDb db, TimeProvider clock, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (request.AccountId is not { } accountId)
        {
            return ApiProblems.Invalid("accountId", "Say which account the message is about.");
        }

        return await InboundWork.AssignAsync(db, id, accountId, Actor.Of(user), clock.Now(), cancellationToken) switch
        {
            InboundWorkOutcome.Done done => TypedResults.Ok(InboundMessageWire.Of(done.Message)),
            InboundWorkOutcome.NotFound missing => ApiProblems.NotFound(missing.What, missing.Id),
            InboundWorkOutcome.Conflict conflict => ApiProblems.Conflict(conflict.Detail),
            InboundWorkOutcome.Invalid invalid => ApiProblems.Invalid(invalid.Field, invalid.Message),
            var other => throw new InvalidOperationException($"Unexpected outcome {other}."),
        };
    }

    internal static async Task<Results<Created<ReplyQueued>, ValidationProblem, ProblemHttpResult>> ReplyAsync(
        long id, [FromBody] ReplyRequest request, DunwellDb db, TimeProvider clock, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        return await InboundWork.ReplyAsync(db, id, request.Text, request.Subject, Actor.Of(user), clock.Now(), cancellationToken) switch
        {
            InboundWorkOutcome.Done { Reply: { } reply } => TypedResults.Created($"/api/v1/inbound/{id}", new ReplyQueued(id, reply.Id, reply.State, reply.HeldReason)),
            InboundWorkOutcome.NotFound missing => ApiProblems.NotFound(missing.What, missing.Id),
            InboundWorkOutcome.Conflict conflict => ApiProblems.Conflict(conflict.Detail),
            InboundWorkOutcome.Invalid invalid => ApiProblems.Invalid(invalid.Field, invalid.Message),
            var other => throw new InvalidOperationException($"Unexpected outcome {other}."),
        };
    }

    private static string Camel(string name) => char.ToLowerInvariant(name[0]) + name[1..];
}
