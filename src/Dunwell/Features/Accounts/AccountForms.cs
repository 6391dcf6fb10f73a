using Dunwell.Data;
using Dunwell.Domain.Accounts;
using Dunwell.Features.Interactions;
using Dunwell.Features.Payments;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using NodaTime.Text;

namespace Dunwell.Features.Accounts;

/// <summary>The "record an interaction" form as posted: strings, so whatever was typed can be shown again next to its message.</summary>
public sealed class InteractionFields
{
    public string? Channel { get; set; }

    public string? Direction { get; set; }

    public string? Outcome { get; set; }

    public bool Conversation { get; set; }

    /// <summary>A datetime-local value in the viewer's zone (the creditor's).</summary>
    public string? OccurredAt { get; set; }

    public string? Notes { get; set; }

    /// <summary>The id of the debtor's phone, email or address used; empty when not said.</summary>
    public string? ContactId { get; set; }

    /// <summary>What an outbound contact was for; empty for collection.</summary>
    public string? Purpose { get; set; }
}

/// <summary>One of the debtor's other accounts, as the interaction form offers it and a timeline names it.</summary>
public sealed record DebtorAccount(long Id, string Reference);

/// <summary>The "record a payment" form as posted.</summary>
public sealed class PaymentFields
{
    public string? Amount { get; set; }

    /// <summary>yyyy-MM-dd, from a date input.</summary>
    public string? PaidOn { get; set; }

    public string? Method { get; set; }

    public string? Reference { get; set; }

    public string? Note { get; set; }

    /// <summary>Set only by the second, explicit confirmation of a payment larger than the balance.</summary>
    public bool Overpayment { get; set; }

    /// <summary>"ui:{guid}", made when the form was rendered, so a form submitted twice posts once.</summary>
    public string? IdempotencyKey { get; set; }
}

/// <summary>
/// Turns the account page's form fields into the inputs of <see cref="RecordInteraction"/> and <see cref="PostPayment"/>,
/// and handles a payment form posted twice. The decisions stay in those slices; this is only the page's side.
/// </summary>
public static class AccountForms
{
    public const string KeyPrefix = "ui:";

    /// <summary>Outcomes an agent picks from (a correction is made from the entry it corrects, not from this list).</summary>
    public static IReadOnlyList<OutcomeCode> Outcomes { get; } = [.. Enum.GetValues<OutcomeCode>().Where(o => o != OutcomeCode.Correction)];

    public static InteractionFields NewInteraction(Instant now, DateTimeZone viewerZone) => new()
    {
        Channel = nameof(InteractionChannel.Call),
        Direction = nameof(InteractionDirection.Outbound),
        Outcome = nameof(OutcomeCode.RightPartyContact),
        OccurredAt = Show.InputValue(now, viewerZone),
    };

    public static PaymentFields NewPayment(LocalDate today) => new()
    {
        PaidOn = LocalDatePattern.Iso.Format(today),
        Method = PostPayment.Methods[0],
        IdempotencyKey = $"{KeyPrefix}{Guid.NewGuid():N}",
    };

    /// <summary>
    /// The interaction input, or the fields that could not even be read. <paramref name="alsoAbout"/> are the ids of the
    /// debtor's other accounts ticked as also discussed; with none, it is about <paramref name="accountId"/> alone.
    /// </summary>
    public static (InteractionInput Input, Dictionary<string, string[]> Errors) Read(
        InteractionFields fields, DateTimeZone viewerZone, long accountId, IReadOnlyList<string> alsoAbout)
    {
        var errors = new Dictionary<string, string[]>();
        var channel = ParseEnum<InteractionChannel>(fields.Channel);
        var direction = ParseEnum<InteractionDirection>(fields.Direction);
        var outcome = ParseEnum<OutcomeCode>(fields.Outcome);
        if (!string.IsNullOrEmpty(fields.Direction) && direction is null)
        {
            errors["direction"] = ["Choose inbound, outbound or internal."];
        }

        if (!string.IsNullOrEmpty(fields.Outcome) && (outcome is null || outcome == OutcomeCode.Correction))
        {
            errors["outcome"] = ["Choose an outcome from the list."];
        }

        var occurredAt = Show.ParseInput(fields.OccurredAt, viewerZone);
        if (!string.IsNullOrWhiteSpace(fields.OccurredAt) && occurredAt is null)
        {
            errors["occurredAt"] = ["Give the date and time it happened, like 2026-03-02 14:30."];
        }

        long? contactId = null;
        if (!string.IsNullOrWhiteSpace(fields.ContactId))
        {
            if (long.TryParse(fields.ContactId, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id))
            {
                contactId = id;
            }
            else
            {
                errors["contactId"] = ["Choose the number or address used from the list."];
            }
        }

        Domain.Compliance.ContactPurpose? purpose = null;
        if (!string.IsNullOrWhiteSpace(fields.Purpose))
        {
            if (Enum.TryParse<Domain.Compliance.ContactPurpose>(fields.Purpose, ignoreCase: false, out var p) && Enum.IsDefined(p))
            {
                purpose = p;
            }
            else
            {
                errors["purpose"] = ["Choose what it was for from the list."];
            }
        }

        List<long>? accounts = null;
        if (alsoAbout.Count > 0)
        {
            accounts = [accountId];
            foreach (var text in alsoAbout)
            {
                if (long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var other))
                {
                    accounts.Add(other);
                }
                else
                {
                    errors["accounts"] = ["Tick the other accounts it was about from the list."];
                }
            }
        }

        return (new InteractionInput(channel, direction, occurredAt, outcome, fields.Conversation, fields.Notes, Corrects: null)
        {
            ContactId = contactId,
            Purpose = purpose,
            Accounts = accounts,
        }, errors);
    }

    public static (PaymentInput Input, Dictionary<string, string[]> Errors) Read(PaymentFields fields)
    {
        var errors = new Dictionary<string, string[]>();
        LocalDate? paidOn = null;
        if (!string.IsNullOrWhiteSpace(fields.PaidOn))
        {
            var parsed = LocalDatePattern.Iso.Parse(fields.PaidOn.Trim());
            if (parsed.Success)
            {
                paidOn = parsed.Value;
            }
            else
            {
                errors["paidOn"] = ["Give the date the payment was made, like 2026-03-02."];
            }
        }

        var method = string.IsNullOrWhiteSpace(fields.Method) ? null : fields.Method.Trim();
        return (new PaymentInput(fields.Amount, Currency: null, paidOn, method, fields.Reference, fields.Note, fields.Overpayment), errors);
    }

    /// <summary>Whether a key is one this page makes (so a form cannot be used to replay someone else's posting).</summary>
    public static bool IsFormKey(string? key) =>
        key is { Length: 35 } && key.StartsWith(KeyPrefix, StringComparison.Ordinal) && Guid.TryParseExact(key[KeyPrefix.Length..], "N", out _);

    /// <summary>The ledger entry already posted to this account with this form's key, if the form was submitted before.</summary>
    public static Task<long?> AlreadyPostedAsync(DunwellDb db, long accountId, string key, CancellationToken cancellationToken) =>
        db.Ledger.AsNoTracking()
            .Where(e => e.IdempotencyKey == key && e.AccountId == accountId)
            .Select(e => (long?)e.Id)
            .FirstOrDefaultAsync(cancellationToken);

    private static T? ParseEnum<T>(string? text)
        where T : struct, Enum
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var name = Enum.GetNames<T>().FirstOrDefault(n => string.Equals(n, text.Trim(), StringComparison.OrdinalIgnoreCase));
        return name is null ? null : Enum.Parse<T>(name);
    }
}
