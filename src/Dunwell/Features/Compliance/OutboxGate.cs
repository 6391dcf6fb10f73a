using System.CommandLine;
using Dunwell.Data;
using Dunwell.Domain.Accounts;
using Dunwell.Domain.Compliance;
using Dunwell.Web;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using NodaTime.Text;

namespace Dunwell.Features.Compliance;

public sealed record ScreeningSummary(int Screened, int Allowed, int Moved, int Held);

/// <summary>
/// Nothing leaves unless the rules allow it at that instant. Every queued message is put to the compliance engine when
/// it is queued and again when it is due to go: allowed, it stays queued; refused with a known next allowed instant, its
/// send time moves there; refused for good (a cease, no usable address), it is held with the reasons in words.
/// Every message is asked about as automated contact, since no person decides to send it.
/// </summary>
public static class OutboxGate
{
    public static async Task<ScreeningSummary> ScreenAsync(DunwellDb db, IReadOnlyList<OutboxMessage> messages, Instant now, CancellationToken cancellationToken)
    {
        int allowed = 0, moved = 0, held = 0;
        foreach (var message in messages.Where(m => m.State == OutboxState.Queued))
        {
            var at = message.SendAfter > now ? message.SendAfter : now;
            var (decision, contactId) = await DecideAsync(db, message, at, cancellationToken);
            message.ContactId = contactId;
            message.ScreenedAt = at;
            message.ScreenedUnder = decision is null ? null : $"{decision.PackId} {decision.PackVersion}";
            if (decision is null)
            {
                Hold(message, message.Channel == Domain.Accounts.InteractionChannel.Sms ? "There is no phone number on file to send it to." : "There is no email address on file to send it to.");
                held++;
            }
            else if (decision.Allowed)
            {
                message.HeldReason = null;
                allowed++;
            }
            else if (decision.NextAllowedAt is { } next)
            {
                message.SendAfter = next;
                message.HeldReason = "Moved: " + EligibilityResponse.Explain(decision);
                moved++;
            }
            else
            {
                Hold(message, EligibilityResponse.Explain(decision));
                held++;
            }
        }

        return new ScreeningSummary(allowed + moved + held, allowed, moved, held);
    }

    /// <summary>The send-time check: every queued message due by <paramref name="at"/> is screened again; what is allowed may go.</summary>
    public static async Task<(ScreeningSummary Summary, IReadOnlyList<OutboxMessage> MayGo)> DueAsync(DunwellDb db, Instant at, CancellationToken cancellationToken)
    {
        var due = await db.Outbox.Where(m => m.State == OutboxState.Queued && m.SendAfter <= at).OrderBy(m => m.SendAfter).Take(1_000).ToListAsync(cancellationToken);
        var summary = await ScreenAsync(db, due, at, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return (summary, [.. due.Where(m => m.State == OutboxState.Queued && m.SendAfter <= at)]);
    }

    /// <summary>The decision for the message and the contact it was asked about (null for a letter, or when there is none to use).</summary>
    private static async Task<(ContactDecision? Decision, long? ContactId)> DecideAsync(DunwellDb db, OutboxMessage message, Instant at, CancellationToken cancellationToken)
    {
        var channel = ContactQuestion.ChannelOf(message.Channel) ?? ContactChannel.Letter;
        long? contactId = null;
        if (channel is ContactChannel.Email or ContactChannel.Sms)
        {
            var debtorId = await db.Accounts.Where(a => a.Id == message.AccountId).Select(a => a.DebtorId).SingleAsync(cancellationToken);
            // A reply goes where the customer wrote from; anything else to the first usable address.
            contactId = message.TemplateKey == Inbound.InboundWork.ReplyTemplateKey && message.ContactId is { } wroteFrom
                ? wroteFrom
                : (await UsableContactAsync(db, debtorId, channel, cancellationToken))?.Id;
            if (contactId is null)
            {
                return (null, null);
            }
        }

        var decision = await DecideForAsync(db, message, channel, contactId, at, cancellationToken);
        message.QueueDecision ??= Describe(decision);
        return (decision, contactId);
    }

    /// <summary>
    /// The email address or phone a message on <paramref name="channel"/> should go to: the first the debtor has not opted
    /// out of, preferring one that has not bounced (the engine checks its consent and markers). Null when there is none.
    /// </summary>
    public static Task<DebtorContact?> UsableContactAsync(DunwellDb db, long debtorId, ContactChannel channel, CancellationToken cancellationToken)
    {
        var kind = channel == ContactChannel.Email ? ContactKind.Email : ContactKind.Phone;
        return db.DebtorContacts.AsNoTracking()
            .Where(c => c.DebtorId == debtorId && c.Kind == kind && c.Consent != ConsentState.OptedOut)
            .OrderBy(c => c.UndeliverableSince != null).ThenBy(c => c.Id).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>The compliance engine's answer for sending the message on this channel to this contact at that instant, as automated contact.</summary>
    public static async Task<ContactDecision> DecideForAsync(DunwellDb db, OutboxMessage message, ContactChannel channel, long? contactId, Instant at, CancellationToken cancellationToken)
    {
        // A reply to the customer's own message is screened as one: the rules' exception for answering the consumer.
        var (purpose, inResponseTo) = message.TemplateKey == Inbound.InboundWork.ReplyTemplateKey
            ? await Inbound.InboundWork.ScreeningAsync(db, message, cancellationToken)
            : (PurposeOf(message.TemplateKey), null);
        var question = await ContactQuestion.LoadAsync(db, message.AccountId, channel, contactId?.ToString(System.Globalization.CultureInfo.InvariantCulture),
            purpose, at, null, cancellationToken);
        question = question! with { Request = question.Request with { InResponseTo = inResponseTo } };
        // The outbox sends on its own, with no person deciding each message: the rules on automated contact apply.
        return question.Automated().Decide();
    }

    /// <summary>A decision as the message keeps it: "US-FDCPA 2026.1: allowed" or "…: refused: the reasons in words".</summary>
    public static string Describe(ContactDecision decision)
    {
        var text = $"{decision.PackId} {decision.PackVersion}: " + (decision.Allowed ? "allowed" : "refused: " + EligibilityResponse.Explain(decision));
        return text.Length <= 4000 ? text : text[..3999] + "…";
    }

    /// <summary>A recap of what was agreed is a recap; everything else the outbox sends asks for or reminds of payment.</summary>
    private static ContactPurpose PurposeOf(string templateKey) => templateKey switch
    {
        "arrangement-recap" => ContactPurpose.ConversationRecap,
        "validation-notice" => ContactPurpose.ValidationNotice,
        _ => ContactPurpose.Collection,
    };

    private static void Hold(OutboxMessage message, string reason)
    {
        message.State = OutboxState.Held;
        message.HeldReason = reason.Length <= 2000 ? reason : reason[..1999] + "…";
    }

    public static Command Command()
    {
        var at = new Option<string?>("--at") { Description = "The instant to check for (ISO-8601 with an offset; default now)." };
        var screen = new Command("screen", "Screen every queued message that is due again: what the rules still allow may go, the rest moves or is held.") { at };
        screen.SetAction((result, ct) => Cli.RunVerbAsync(async (services, token) =>
        {
            var now = services.GetRequiredService<TimeProvider>().Now();
            var given = result.GetValue(at);
            var instant = given is null ? now
                : OffsetDateTimePattern.ExtendedIso.Parse(given) is { Success: true } parsed ? parsed.Value.ToInstant()
                : throw new VerbException($"--at '{given}' is not an instant like 2026-03-02T14:30:00-05:00.");
            var (summary, mayGo) = await DueAsync(services.GetRequiredService<DunwellDb>(), instant, token);
            await Console.Out.WriteLineAsync($"Screened {summary.Screened} due messages: {mayGo.Count} may go, {summary.Moved} moved later, {summary.Held} held.");
            return 0;
        }, ct));
        return new Command("outbox", "Messages waiting to be sent.") { screen, Messages.Outbox.OutboxSender.Command(), Messages.Outbox.ParkedMessages.Command() };
    }
}
