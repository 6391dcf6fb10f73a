using System.Globalization;
using Dunwell.Data;
using Dunwell.Domain.Accounts;
using Dunwell.Domain.Compliance;
using Dunwell.Features.Compliance;
using Dunwell.Web;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Dunwell.Features.Interactions;

/// <summary>A call outcome, message or note as the caller states it.</summary>
public sealed record InteractionInput(
    InteractionChannel? Channel,
    InteractionDirection? Direction,
    Instant? OccurredAt,
    OutcomeCode? Outcome,
    bool? Conversation,
    string? Notes,
    long? Corrects)
{
    /// <summary>The debtor contact (phone, email, address) used, by id.</summary>
    public long? ContactId { get; init; }

    /// <summary>What an outbound contact was for (collection unless said): a reply or a notice the law requires may go where collection may not.</summary>
    public ContactPurpose? Purpose { get; init; }

    /// <summary>
    /// Every account of the debtor the interaction was about, the one it is recorded on among them; null for that one
    /// alone (a correction: the accounts of the interaction it corrects).
    /// </summary>
    public IReadOnlyList<long>? Accounts { get; init; }
}

public abstract record InteractionOutcome
{
    public sealed record Recorded(Interaction Interaction) : InteractionOutcome;

    public sealed record AccountNotFound : InteractionOutcome;

    public sealed record Invalid(Dictionary<string, string[]> Errors) : InteractionOutcome;
}

/// <summary>
/// Writes one append-only interaction on an account. A correction is a new interaction naming the one it corrects
/// (on the same account); the original stays as it was.
/// </summary>
public static class RecordInteraction
{
    /// <summary>How far ahead of the server's clock an occurredAt may be (device clocks drift).</summary>
    private static readonly Duration FutureTolerance = Duration.FromMinutes(5);

    public static async Task<InteractionOutcome> RunAsync(
        DunwellDb db, long accountId, InteractionInput input, string author, Instant now, CancellationToken cancellationToken)
    {
        var debtorId = await db.Accounts.Where(a => a.Id == accountId).Select(a => (long?)a.DebtorId).SingleOrDefaultAsync(cancellationToken);
        if (debtorId is null)
        {
            return new InteractionOutcome.AccountNotFound();
        }

        var errors = Validate(input, now);
        string? correctedAlsoAbout = null;
        if (input.Corrects is { } corrected)
        {
            var original = await db.Interactions.Where(InteractionAccounts.About(accountId, debtorId.Value)).Where(i => i.Id == corrected)
                .Select(i => new { i.AccountId, i.AlsoAbout }).SingleOrDefaultAsync(cancellationToken);
            if (original is null)
            {
                errors["corrects"] = [$"Interaction {corrected} is not on this account."];
            }
            else
            {
                // A correction shows wherever the interaction it corrects shows.
                correctedAlsoAbout = InteractionAccounts.Format(accountId, InteractionAccounts.All(original.AccountId, original.AlsoAbout));
            }
        }

        var alsoAbout = input.Accounts is null ? correctedAlsoAbout : await OtherAccountsAsync(db, accountId, debtorId.Value, input.Accounts, errors, cancellationToken);

        if (input.ContactId is { } contactId)
        {
            var kind = await db.Set<DebtorContact>().Where(c => c.Id == contactId && c.DebtorId == debtorId).Select(c => (ContactKind?)c.Kind)
                .SingleOrDefaultAsync(cancellationToken);
            if (kind is null)
            {
                errors["contactId"] = [$"Contact {contactId} is not one of this debtor's contacts."];
            }
            else if (input.Channel is { } used && KindFor(used) is { } expected && expected != kind)
            {
                errors["contactId"] = [$"Contact {contactId} is {Article(kind.Value)}; a {used.ToString().ToLowerInvariant()} uses {Article(expected)}."];
            }
        }

        if (errors.Count > 0)
        {
            return new InteractionOutcome.Invalid(errors);
        }

        // Records are never refused, but an outbound attempt the rules did not allow is marked and reviewed.
        var occurredAt = input.OccurredAt ?? now;
        var direction = input.Direction ?? (input.Channel == InteractionChannel.Note ? InteractionDirection.Internal : InteractionDirection.Outbound);
        ContactDecision? refused = null;
        string? unnamed = null;
        var purpose = input.Purpose ?? ContactPurpose.Collection;
        if (direction == InteractionDirection.Outbound && input.Corrects is null && ContactQuestion.ChannelOf(input.Channel!.Value) is { } channel)
        {
            // The attempt was about each of its accounts, so it is judged for each (the call counts and holds are per debt).
            foreach (var about in InteractionAccounts.All(accountId, alsoAbout))
            {
                (refused, unnamed) = await JudgeAsync(db, about, debtorId.Value, channel, input.ContactId, purpose, occurredAt, cancellationToken);
                if (refused is not null)
                {
                    break;
                }
            }
        }

        var interaction = new Interaction
        {
            AccountId = accountId,
            DebtorId = debtorId.Value,
            Channel = input.Channel!.Value,
            Direction = direction,
            OccurredAt = occurredAt,
            RecordedAt = now,
            Author = author,
            Outcome = input.Outcome ?? (input.Corrects is null ? OutcomeCode.None : OutcomeCode.Correction),
            Conversation = input.Conversation ?? false,
            Notes = input.Notes?.Trim() is { Length: > 0 } notes ? notes : null,
            CorrectsInteractionId = input.Corrects,
            ContactId = input.ContactId,
            AlsoAbout = alsoAbout,
            ComplianceException = refused is null ? null
                : Truncate((unnamed is null ? "" : $"The {KindFor(input.Channel!.Value)?.ToString().ToLowerInvariant()} used was not recorded, and {unnamed} was not allowed: ")
                    + EligibilityResponse.Explain(refused), 2000),
        };
        // The flagged attempt and its review task are saved together or not at all.
        await using var transaction = refused is not null && db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        db.Interactions.Add(interaction);
        AuditLog.Add(db, author, AuditLog.Actions.InteractionCreate, $"account:{accountId}", now,
            detail: (input.Corrects is { } correcting ? $"{interaction.Channel} correcting interaction {correcting}"
                : input.Purpose is { } said ? $"{interaction.Channel} ({said})" : $"{interaction.Channel}")
                + (alsoAbout is null ? "" : $", also about accounts {alsoAbout.Replace(",", ", ", StringComparison.Ordinal)}"));
        await db.SaveChangesAsync(cancellationToken);
        if (refused is not null)
        {
            db.Tasks.Add(new WorkTask
            {
                AccountId = accountId,
                Kind = WorkTaskKind.ComplianceException,
                Title = $"Review: an outbound {interaction.Channel.ToString().ToLowerInvariant()} was made while the rules did not allow it",
                Note = Truncate($"Recorded by {author}. {interaction.ComplianceException}", 1000),
                DueAt = now,
                Cause = $"compliance:{interaction.Id}",
                CreatedAt = now,
            });
            await db.SaveChangesAsync(cancellationToken);
            if (transaction is not null)
            {
                await transaction.CommitAsync(cancellationToken);
            }
        }

        return new InteractionOutcome.Recorded(interaction);
    }

    /// <summary>
    /// The other accounts among <paramref name="accounts"/>, stored form, after checking that the list names the account
    /// recorded on and only accounts of the same debtor the caller may see. Any other account, another creditor's or
    /// one that does not exist, gets the same answer, so the error tells nothing about accounts out of scope.
    /// </summary>
    private static async Task<string?> OtherAccountsAsync(
        DunwellDb db, long accountId, long debtorId, IReadOnlyList<long> accounts, Dictionary<string, string[]> errors, CancellationToken cancellationToken)
    {
        if (accounts.Count == 0 || accounts.Count > InteractionAccounts.MaxAccounts)
        {
            errors["accounts"] = [string.Create(CultureInfo.InvariantCulture,
                $"Name the accounts it was about, 1 to {InteractionAccounts.MaxAccounts}, or leave accounts out for account {accountId} alone.")];
            return null;
        }

        if (!accounts.Contains(accountId))
        {
            errors["accounts"] = [string.Create(CultureInfo.InvariantCulture,
                $"Include account {accountId}, the account it is recorded on, or record it on one of the accounts it was about.")];
            return null;
        }

        var others = accounts.Where(a => a != accountId).Distinct().ToArray();
        var debtors = await db.Accounts.Where(a => others.Contains(a.Id) && a.DebtorId == debtorId).Select(a => a.Id).ToListAsync(cancellationToken);
        for (var i = 0; i < accounts.Count; i++)
        {
            if (accounts[i] != accountId && !debtors.Contains(accounts[i]))
            {
                errors[string.Create(CultureInfo.InvariantCulture, $"accounts[{i}]")] = [string.Create(CultureInfo.InvariantCulture,
                    $"Account {accounts[i]} is not one of this debtor's accounts.")];
            }
        }

        return InteractionAccounts.Format(accountId, others);
    }

    /// <summary>
    /// What the rules said of an outbound attempt about one account: the refusal, if any, and the contact it names when
    /// the one used was not said (any number or address the rules refused may have been the one, so it is reviewed).
    /// </summary>
    private static async Task<(ContactDecision? Refused, string? Unnamed)> JudgeAsync(
        DunwellDb db, long accountId, long debtorId, ContactChannel channel, long? contactId, ContactPurpose purpose, Instant occurredAt,
        CancellationToken cancellationToken)
    {
        var question = (await ContactQuestion.LoadAsync(db, accountId, channel, contactId?.ToString(CultureInfo.InvariantCulture), purpose,
            occurredAt, null, cancellationToken))!;
        var decision = question.Decide();
        if (!decision.Allowed)
        {
            return (decision, null);
        }

        if (contactId is null)
        {
            var kind = ContactQuestion.KindFor(channel);
            var onFile = await db.Set<DebtorContact>().Where(c => c.DebtorId == debtorId && c.Kind == kind).OrderBy(c => c.Id)
                .Select(c => new { c.Id, c.Value }).ToListAsync(cancellationToken);
            foreach (var contact in onFile)
            {
                var viaThis = question.Via(channel, contact.Id.ToString(CultureInfo.InvariantCulture)).Decide();
                if (!viaThis.Allowed)
                {
                    return (viaThis, contact.Value);
                }
            }
        }

        return (null, null);
    }

    /// <summary>The kind of contact point a channel uses; null for portal actions and notes.</summary>
    public static ContactKind? KindFor(InteractionChannel channel) => ContactQuestion.ChannelOf(channel) is { } medium ? ContactQuestion.KindFor(medium) : null;

    internal static string Article(ContactKind kind) => kind switch
    {
        ContactKind.Phone => "a phone number",
        ContactKind.Email => "an email address",
        _ => "a postal address",
    };

    private static string Wire(OutcomeCode outcome) => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(outcome.ToString());

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";

    public static Dictionary<string, string[]> Validate(InteractionInput input, Instant now)
    {
        var errors = new Dictionary<string, string[]>();
        if (input.Channel is null)
        {
            errors["channel"] = [$"Say which channel: {string.Join(", ", Enum.GetNames<InteractionChannel>().Select(n => n.ToLowerInvariant()))}."];
        }

        if (input.OccurredAt is { } at && at > now + FutureTolerance)
        {
            errors["occurredAt"] = ["An interaction cannot have happened in the future."];
        }

        if (input.Notes is { Length: > 4000 })
        {
            errors["notes"] = ["Keep notes under 4000 characters."];
        }

        if (input.Outcome == OutcomeCode.Correction && input.Corrects is null)
        {
            errors["corrects"] = ["A correction must name the interaction it corrects."];
        }

        if (input.Corrects is not null && string.IsNullOrWhiteSpace(input.Notes))
        {
            errors["notes"] = ["Say what was wrong in the interaction being corrected."];
        }

        if (input.Channel == InteractionChannel.Note && input.Conversation == true)
        {
            errors["conversation"] = ["A note is not a conversation; record the call or message instead."];
        }

        // These outcomes say nobody was reached on a call; they decide whether the call counts (docs/compliance.md).
        if (input.Outcome is OutcomeCode.NotInService or OutcomeCode.VoicemailNoMessage)
        {
            if (input.Channel is { } channel && channel != InteractionChannel.Call)
            {
                errors["outcome"] = [$"{Wire(input.Outcome.Value)} is the outcome of a call, not of {channel.ToString().ToLowerInvariant()}."];
            }
            else if (input.Conversation == true)
            {
                errors["conversation"] = [$"A call with the outcome {Wire(input.Outcome.Value)} reached nobody, so it was not a conversation."];
            }
        }

        return errors;
    }
}
