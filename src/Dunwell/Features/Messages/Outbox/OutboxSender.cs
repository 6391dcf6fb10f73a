using System.CommandLine;
using System.Globalization;
using Dunwell.Data;
using Dunwell.Web;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NodaTime;
using NodaTime.Text;

namespace Dunwell.Features.Messages.Outbox;

public sealed record SendSummary(int Claimed, int Sent, int Waiting, int Held, int Retrying, int Failed, int Parked)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"Claimed {Claimed} due messages: {Sent} sent, {Waiting} moved later, {Held} held, {Retrying} to retry, {Failed} failed, {Parked} parked for a person.");
}

/// <summary>
/// One pass of the sender: reclaim the messages of senders that died, claim what is due, and for each: choose the
/// channel and screen it again with the compliance engine at this instant, render it (an agent's own words go as
/// written), lint it, record the attempt, hand it over, and record what came of it. The attempt is committed before
/// the channel is asked, so whatever point a crash stops it at, the next pass either sends it (nothing was handed
/// over) or parks it for a person (something may have been): never a second copy.
/// </summary>
public sealed class OutboxSender(DunwellDb db, IReadOnlyList<IChannelSender> senders, IMessageComposer? composer, OutboxOptions options)
{
    public static OutboxSender From(IServiceProvider services) => new(
        services.GetRequiredService<DunwellDb>(),
        [.. services.GetServices<IChannelSender>()],
        services.GetService<IMessageComposer>(),
        services.GetRequiredService<IOptions<OutboxOptions>>().Value);

    public async Task<SendSummary> RunAsync(Instant now, CancellationToken cancellationToken)
    {
        var parkedStale = await OutboxClaims.ReclaimAsync(db, now, cancellationToken);
        var token = Guid.NewGuid().ToString("N");
        var claimed = await OutboxClaims.ClaimAsync(db, token, now, now + Duration.FromSeconds(options.LeaseSeconds), options.BatchSize, cancellationToken);
        OutboxCrash.At(OutboxCrash.Claimed);
        var states = new List<OutboxState>();
        foreach (var id in claimed)
        {
            db.ChangeTracker.Clear();
            var message = await db.Outbox.Include(m => m.DeliveryAttempts).SingleOrDefaultAsync(m => m.Id == id && m.ClaimToken == token, cancellationToken);
            if (message is null)
            {
                continue; // the lease ran out and another sender took it over
            }

            try
            {
                states.Add(await SendOneAsync(message, token, now, cancellationToken));
            }
            catch (DbUpdateConcurrencyException)
            {
                // Another sender reclaimed it (this one was too slow for its lease): it is theirs now.
            }
        }

        db.ChangeTracker.Clear();
        int Count(OutboxState s) => states.Count(x => x == s);
        var retrying = states.Count(s => s == OutboxState.Queued) - Waiting;
        return new SendSummary(claimed.Count, Count(OutboxState.Sent), Waiting, Count(OutboxState.Held), retrying, Count(OutboxState.Failed), Count(OutboxState.Parked) + parkedStale);
    }

    private int Waiting { get; set; }

    private async Task<OutboxState> SendOneAsync(OutboxMessage message, string token, Instant now, CancellationToken cancellationToken)
    {
        message.ScreenedAt = now;
        var choice = await ChannelChoice.ChooseAsync(db, message, senders, now, cancellationToken);
        switch (choice)
        {
            case Choice.Wait wait:
                message.SendDecision = wait.Decision;
                message.SendAfter = wait.Until;
                message.HeldReason = "Moved: " + wait.Decision;
                Waiting++;
                return await ReleaseAsync(message, OutboxState.Queued, cancellationToken);
            case Choice.Hold hold:
                message.SendDecision = hold.Decision;
                return await HoldAsync(message, hold.Reason, cancellationToken);
        }

        var route = ((Choice.Go)choice).Route;
        message.SendDecision = route.Decision;
        message.ScreenedUnder = route.Decision.Split(':')[0];
        message.Channel = route.Channel;
        message.ContactId = route.ContactId;
        message.Recipient = route.Recipient;
        if (await ContentProblemAsync(message, route, now, cancellationToken) is { } problem)
        {
            return await HoldAsync(message, problem, cancellationToken);
        }

        var attempt = new DeliveryAttempt { StartedAt = now, Channel = route.Channel, ClaimToken = token };
        message.DeliveryAttempts.Add(attempt);
        message.Attempts++;
        await db.SaveChangesAsync(cancellationToken); // the evidence that a hand-over began, before it begins
        OutboxCrash.At(OutboxCrash.HandingOver);

        var outgoing = await OutgoingAsync(message, route, cancellationToken);
        SendOutcome outcome;
        try
        {
            outcome = await route.Sender.SendAsync(outgoing, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A channel that fails in a way it did not classify may have got anywhere: treat it as unknown.
            outcome = new SendOutcome(SendResult.Unknown, null, $"The {route.Channel} sender failed unexpectedly ({e.GetType().Name}: {e.Message}).");
        }

        if (outcome.Result == SendResult.Accepted)
        {
            OutboxCrash.At(OutboxCrash.HandedOver);
        }

        var state = await OutboxRecording.RecordAsync(db, message, attempt, outcome, now, options, cancellationToken);
        OutboxCrash.At(OutboxCrash.Recorded);
        return state;
    }

    /// <summary>Renders a template message (an agent's own words are already written) and says why it cannot go, if it cannot.</summary>
    private async Task<string?> ContentProblemAsync(OutboxMessage message, Route route, Instant now, CancellationToken cancellationToken)
    {
        if (!message.PreRendered)
        {
            if (composer is null)
            {
                return $"Template '{message.TemplateKey}' cannot be rendered: no template composer is installed. It waits here until one is, then can be sent again.";
            }

            var rendered = await composer.ComposeAsync(db, message, route.ContactChannel, now, cancellationToken);
            message.Subject = rendered.Subject;
            message.BodyText = rendered.Text;
            message.BodyHtml = rendered.Html;
            message.Language = rendered.Language;
            message.TemplateVersionId = rendered.TemplateVersionId;
            OutboxLint.Keep(message, rendered.Lint);
        }
        else
        {
            OutboxLint.Keep(message, OutboxLint.Check(message, route.ContactChannel));
        }

        if (string.IsNullOrWhiteSpace(message.BodyText))
        {
            return "It has no text to send.";
        }

        return message.LintVerdict == "block" ? "The message linter blocked it: " + OutboxLint.Blocking(message) : null;
    }

    private async Task<Outgoing> OutgoingAsync(OutboxMessage message, Route route, CancellationToken cancellationToken)
    {
        var from = await db.Accounts.AsNoTracking().Where(a => a.Id == message.AccountId)
            .Select(a => new { a.CreditorId, a.Creditor.Name, a.Creditor.DisplayName, a.Creditor.SenderName, a.Creditor.SenderEmail, a.Creditor.SmsSender, a.Debtor.Language })
            .SingleAsync(cancellationToken);
        var (fromName, fromAddress) = route.ContactChannel == Domain.Compliance.ContactChannel.Sms
            ? (from.DisplayName ?? from.Name, from.SmsSender)
            : (from.SenderName ?? from.DisplayName ?? from.Name, from.SenderEmail);
        return new Outgoing(message.Id, message.IdempotencyKey, message.AccountId, from.CreditorId, route.Recipient, fromName, fromAddress,
            message.Subject, message.BodyText!, message.BodyHtml, message.Language ?? from.Language ?? "en");
    }

    private async Task<OutboxState> HoldAsync(OutboxMessage message, string reason, CancellationToken cancellationToken)
    {
        message.HeldReason = DeliveryFailures.Shorten(reason, 2000);
        return await ReleaseAsync(message, OutboxState.Held, cancellationToken);
    }

    private async Task<OutboxState> ReleaseAsync(OutboxMessage message, OutboxState state, CancellationToken cancellationToken)
    {
        message.State = state;
        message.ClaimToken = null;
        message.LeaseUntil = null;
        await db.SaveChangesAsync(cancellationToken);
        return state;
    }

    public static Command Command()
    {
        var at = new Option<string?>("--at") { Description = "The instant to send as of (ISO-8601 with an offset; default now)." };
        var send = new Command("send", "Send what is due once: screen each message again, choose its channel, render, lint, hand it over and record the outcome.") { at };
        send.SetAction((result, ct) => Cli.RunVerbAsync(async (services, token) =>
        {
            var given = result.GetValue(at);
            var instant = given is null ? services.GetRequiredService<TimeProvider>().Now()
                : OffsetDateTimePattern.ExtendedIso.Parse(given) is { Success: true } parsed ? parsed.Value.ToInstant()
                : throw new VerbException($"--at '{given}' is not an instant like 2026-03-02T14:30:00-05:00.");
            var summary = await From(services).RunAsync(instant, token);
            await Console.Out.WriteLineAsync(summary.ToString());
            return 0;
        }, ct));
        return send;
    }
}
