using Dunwell.Data;
using Dunwell.Domain.Accounts;
using Dunwell.Domain.Compliance;
using Dunwell.Features.Compliance;
using Dunwell.Features.CreditorPolicies;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Dunwell.Features.Messages.Outbox;

/// <summary>Where a message goes now: the channel, the contact and address, the sender for it and the engine's decision.</summary>
internal sealed record Route(InteractionChannel Channel, ContactChannel ContactChannel, long? ContactId, string Recipient, IChannelSender Sender, string Decision);

internal abstract record Choice
{
    public sealed record Go(Route Route) : Choice;

    /// <summary>The first usable channel is not allowed yet: try again then.</summary>
    public sealed record Wait(Instant Until, string Decision) : Choice;

    /// <summary>No channel can be used, now or later: a person has to look at it.</summary>
    public sealed record Hold(string Reason, string? Decision) : Choice;
}

/// <summary>
/// Chooses the channel at the moment of sending: the debtor's preferred channel, then the creditor's fallback order
/// (an agent's own message goes only on the channel it was written for). A channel is passed over when there is no
/// sender for it, no address that has not opted out, or the rules refuse it for good (a cease, an opt-out); the first
/// channel the rules refuse only for now (contact hours, an inconvenient time) makes the message wait for it.
/// </summary>
internal static class ChannelChoice
{
    public static async Task<Choice> ChooseAsync(DunwellDb db, OutboxMessage message, IReadOnlyList<IChannelSender> senders, Instant at, CancellationToken cancellationToken)
    {
        var account = await db.Accounts.AsNoTracking().Include(a => a.Debtor).SingleAsync(a => a.Id == message.AccountId, cancellationToken);
        var policy = (await PolicyStore.CurrentAsync(db, account.CreditorId, cancellationToken)).Policy;
        List<InteractionChannel> order = message.PreRendered ? [message.Channel] : [.. account.Debtor.PreferredChannel is { } preferred ? [preferred] : Array.Empty<InteractionChannel>(), .. policy.ChannelFallback];

        var passedOver = new List<string>();
        string? lastDecision = null;
        foreach (var channel in order.Where(c => c is InteractionChannel.Email or InteractionChannel.Sms or InteractionChannel.Letter).Distinct())
        {
            var contactChannel = ContactQuestion.ChannelOf(channel)!.Value;
            var word = DeliveryFailures.ChannelWord(channel);
            var sender = senders.FirstOrDefault(s => s.Channel == contactChannel);
            if (sender is null)
            {
                passedOver.Add($"{word}: no sender is configured for it.");
                continue;
            }

            var (contactId, recipient) = await AddressAsync(db, account.Debtor, contactChannel, cancellationToken);
            if (recipient is null)
            {
                passedOver.Add($"{word}: {(contactChannel == ContactChannel.Letter ? "there is no postal address on file." : "there is no address on file that the debtor has not opted out of.")}");
                continue;
            }

            var decision = await OutboxGate.DecideForAsync(db, message, contactChannel, contactId, at, cancellationToken);
            lastDecision = OutboxGate.Describe(decision);
            if (decision.Allowed)
            {
                return new Choice.Go(new Route(channel, contactChannel, contactId, recipient, sender, lastDecision));
            }

            if (decision.NextAllowedAt is { } next)
            {
                return new Choice.Wait(next, lastDecision);
            }

            passedOver.Add($"{word}: {EligibilityResponse.Explain(decision)}");
        }

        return new Choice.Hold("No channel can be used. " + string.Join(" ", passedOver), lastDecision);
    }

    private static async Task<(long? ContactId, string? Recipient)> AddressAsync(DunwellDb db, Debtor debtor, ContactChannel channel, CancellationToken cancellationToken)
    {
        if (channel == ContactChannel.Letter)
        {
            string?[] lines = [debtor.Name, debtor.AddressLine1, debtor.AddressLine2, string.Join(" ", new[] { debtor.City, debtor.Region, debtor.PostalCode }.Where(p => !string.IsNullOrWhiteSpace(p))), debtor.Country];
            return string.IsNullOrWhiteSpace(debtor.AddressLine1) ? (null, null) : (null, string.Join("\n", lines.Where(l => !string.IsNullOrWhiteSpace(l))));
        }

        var contact = await OutboxGate.UsableContactAsync(db, debtor.Id, channel, cancellationToken);
        return (contact?.Id, contact?.Value);
    }
}
