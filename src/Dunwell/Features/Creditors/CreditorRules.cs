using System.Text.RegularExpressions;
using Dunwell.Data;
using Dunwell.Domain.Compliance;
using Dunwell.Features.Debtors;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using PhoneNumbers;

namespace Dunwell.Features.Creditors;

/// <summary>
/// A creditor's details as the API, the admin page and <c>dunwell creditors</c> give them. On a change, a field left
/// out (null) stays as it is and an empty string clears an optional one.
/// </summary>
public sealed record CreditorDetails(
    string? Name = null,
    string? JurisdictionPack = null,
    string? TimeZone = null,
    string? DisplayName = null,
    string? ContactEmail = null,
    string? ContactPhone = null,
    string? PostalAddress = null,
    string? Website = null,
    string? SenderName = null,
    string? SenderEmail = null,
    string? SmsSender = null,
    string? AccentColour = null);

/// <summary>The checks and the one way of applying details, shared by every entry point; errors are keyed by wire field name.</summary>
public static partial class CreditorRules
{
    public static IReadOnlyList<string> Packs { get; } = [RulePacks.UsFdcpaId, RulePacks.UkFcaId, RulePacks.B2bId];

    public static string? ReferenceError(string? reference) => reference?.Trim() switch
    {
        null or "" => "Give the creditor's reference, as its placement files name it (creditor_ref).",
        { Length: > 64 } => "Keep the reference to 64 characters.",
        var r when !ReferencePattern().IsMatch(r) => "Use letters, digits, '.', '_' and '-' only, starting with a letter or digit.",
        _ => null,
    };

    /// <summary>Checks the details; <paramref name="creating"/> requires name, pack and zone.</summary>
    public static Dictionary<string, string[]> Validate(CreditorDetails details, bool creating, IDateTimeZoneProvider zones)
    {
        var errors = new Dictionary<string, string[]>();
        void Check(string field, string? error)
        {
            if (error is not null)
            {
                errors[field] = [error];
            }
        }

        Check("name", Required(details.Name, "the creditor's legal name", creating) ?? DebtorRules.TextError(details.Name, "name", required: false, max: 200));
        Check("jurisdictionPack", Required(details.JurisdictionPack, "the rule pack (" + string.Join(", ", Packs) + ")", creating)
            ?? (details.JurisdictionPack is { Length: > 0 } pack && !Packs.Contains(pack.Trim())
                ? $"Unknown rule pack '{pack}'. Use one of: {string.Join(", ", Packs)}."
                : null));
        Check("timeZone", Required(details.TimeZone, "the creditor's calendar zone (IANA, e.g. America/New_York)", creating)
            ?? (details.TimeZone is { Length: > 0 } zone ? DebtorRules.TimeZoneError(zones, zone.Trim()) : null));
        Check("displayName", DebtorRules.TextError(details.DisplayName, "display name", required: false, max: 200));
        Check("contactEmail", EmailError(details.ContactEmail));
        Check("contactPhone", PhoneError(details.ContactPhone));
        Check("postalAddress", DebtorRules.TextError(details.PostalAddress, "postal address", required: false, max: 500));
        Check("website", WebsiteError(details.Website));
        Check("senderName", DebtorRules.TextError(details.SenderName, "sender name", required: false, max: 200));
        Check("senderEmail", EmailError(details.SenderEmail));
        Check("smsSender", details.SmsSender is { Length: > 0 } sms && !SmsSenderPattern().IsMatch(sms.Trim())
            ? "An SMS sender is an E.164 number (+15551234567) or 3 to 11 letters and digits."
            : null);
        Check("accentColour", details.AccentColour is { Length: > 0 } colour && !ColourPattern().IsMatch(colour.Trim())
            ? "Give the colour as #rrggbb."
            : null);
        return errors;
    }

    /// <summary>Applies checked details: a null field stays, an empty one clears (required fields cannot be cleared: Validate refuses).</summary>
    public static void Apply(Creditor creditor, CreditorDetails details)
    {
        static string? Set(string? current, string? given) => given is null ? current : DebtorRules.Trimmed(given);

        creditor.Name = Set(creditor.Name, details.Name) ?? creditor.Name;
        creditor.JurisdictionPack = Set(creditor.JurisdictionPack, details.JurisdictionPack) ?? creditor.JurisdictionPack;
        creditor.TimeZone = Set(creditor.TimeZone, details.TimeZone) ?? creditor.TimeZone;
        creditor.DisplayName = Set(creditor.DisplayName, details.DisplayName);
        creditor.ContactEmail = Set(creditor.ContactEmail, details.ContactEmail)?.ToLowerInvariant();
        creditor.ContactPhone = details.ContactPhone is null ? creditor.ContactPhone : NormalisedPhone(details.ContactPhone);
        creditor.PostalAddress = Set(creditor.PostalAddress, details.PostalAddress);
        creditor.Website = Set(creditor.Website, details.Website);
        creditor.SenderName = Set(creditor.SenderName, details.SenderName);
        creditor.SenderEmail = Set(creditor.SenderEmail, details.SenderEmail)?.ToLowerInvariant();
        creditor.SmsSender = Set(creditor.SmsSender, details.SmsSender);
        creditor.AccentColour = Set(creditor.AccentColour, details.AccentColour)?.ToLowerInvariant();
    }

    /// <summary>A required field on creation; on a change, only an attempt to clear it.</summary>
    private static string? Required(string? value, string what, bool creating) =>
        (creating && string.IsNullOrWhiteSpace(value)) || (!creating && value is not null && string.IsNullOrWhiteSpace(value))
            ? $"Give {what}."
            : null;

    private static string? EmailError(string? email) =>
        email is { Length: > 0 } && !DebtorRules.TryNormalise(Domain.Accounts.ContactKind.Email, email, "US", out _, out var error) ? error : null;

    private static string? PhoneError(string? phone) =>
        phone is { Length: > 0 } && NormalisedPhone(phone) is null ? $"'{phone.Trim()}' is not a phone number in international form (+44 20 7946 0000)." : null;

    private static string? NormalisedPhone(string phone)
    {
        if (phone.Trim().Length == 0)
        {
            return null;
        }

        try
        {
            var util = PhoneNumberUtil.GetInstance();
            var number = util.Parse(phone.Trim(), null);
            return util.IsValidNumber(number) ? util.Format(number, PhoneNumberFormat.E164) : null;
        }
        catch (NumberParseException)
        {
            return null;
        }
    }

    private static string? WebsiteError(string? website) =>
        website is { Length: > 0 } && !(Uri.TryCreate(website.Trim(), UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps && website.Length <= 200)
            ? "Give the website as an https:// address of up to 200 characters."
            : null;

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex ReferencePattern();

    [GeneratedRegex(@"^(\+[1-9][0-9]{6,14}|[A-Za-z0-9]{3,11})$", RegexOptions.CultureInvariant)]
    private static partial Regex SmsSenderPattern();

    [GeneratedRegex("^#[0-9A-Fa-f]{6}$", RegexOptions.CultureInvariant)]
    private static partial Regex ColourPattern();
}

/// <summary>The creditors a user or an API key acts for: every creditor (present and future), or exactly these.</summary>
public sealed record CreditorGrant(bool All, IReadOnlyList<long> Ids)
{
    public static CreditorGrant Everything { get; } = new(true, []);

    /// <summary>
    /// Reads "*" (every creditor) or creditor references separated by commas, as the CLI and the admin page take them.
    /// Unknown references are an error naming them; an empty list is refused (a credential that sees nothing is a mistake).
    /// </summary>
    public static async Task<(CreditorGrant? Grant, string? Error)> ParseAsync(DunwellDb db, string? text, CancellationToken cancellationToken)
    {
        var given = (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (given is ["*"])
        {
            return (Everything, null);
        }

        if (given.Length == 0)
        {
            return (null, "Name the creditors it acts for (references separated by commas), or * for every creditor.");
        }

        var found = await db.Creditors.Where(c => given.Contains(c.Reference)).Select(c => new { c.Id, c.Reference }).ToListAsync(cancellationToken);
        var unknown = given.Except(found.Select(f => f.Reference), StringComparer.Ordinal).ToList();
        return unknown.Count > 0
            ? (null, $"No creditor with reference {string.Join(", ", unknown.Select(u => $"'{u}'"))}.")
            : (new CreditorGrant(false, [.. found.Select(f => f.Id)]), null);
    }

    /// <summary>The grant in words, for lists and audit details: "*" or the references.</summary>
    public static async Task<string> DescribeAsync(DunwellDb db, bool all, IEnumerable<long> ids, CancellationToken cancellationToken)
    {
        if (all)
        {
            return "*";
        }

        var wanted = ids.ToList();
        var references = await db.Creditors.IgnoreQueryFilters().Where(c => wanted.Contains(c.Id)).OrderBy(c => c.Reference).Select(c => c.Reference).ToListAsync(cancellationToken);
        return string.Join(",", references);
    }
}
