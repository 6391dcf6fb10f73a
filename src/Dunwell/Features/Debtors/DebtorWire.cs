using System.Globalization;
using Dunwell.Domain.Accounts;
using Dunwell.Features.Accounts;
using NodaTime;
using NodaTime.Text;

namespace Dunwell.Features.Debtors;

/// <summary>A debtor on the wire (GET /debtors/{id}, and inside GET /accounts/{id}). Never the EF entity.</summary>
public sealed record DebtorResponse(
    long Id,
    string Reference,
    DebtorKind Kind,
    string Name,
    string? AddressLine1,
    string? AddressLine2,
    string? City,
    string? Region,
    string? PostalCode,
    string Country,
    string? TimeZone,
    string? Language,
    PreferencesWire Preferences,
    IReadOnlyList<ContactResponse> Contacts,
    IReadOnlyList<FlagResponse> Flags)
{
    public static DebtorResponse From(DebtorView debtor) => new(
        debtor.Id,
        debtor.Reference,
        debtor.Kind,
        debtor.Name,
        debtor.AddressLine1,
        debtor.AddressLine2,
        debtor.City,
        debtor.Region,
        debtor.PostalCode,
        debtor.Country,
        debtor.TimeZone,
        debtor.Language,
        new PreferencesWire(debtor.PreferredChannel, DebtorRules.FormatTime(debtor.ContactFrom), DebtorRules.FormatTime(debtor.ContactUntil), debtor.ToneNotes),
        [.. debtor.Contacts.Select(c => new ContactResponse(c.Id, c.Kind, c.Value, c.Label, c.TimeZone, c.Consent))],
        [.. debtor.Flags.Select(f => new FlagResponse(f.Id, f.Kind, f.Since.ToDateOnly(), f.Until?.ToDateOnly(), f.Note, f.InForce))]);
}

/// <summary>How the debtor likes to be contacted. Contact hours are local times "HH:mm" in the debtor's zone.</summary>
public sealed record PreferencesWire(InteractionChannel? Channel, string? ContactFrom, string? ContactUntil, string? ToneNotes);

public sealed record ContactResponse(long Id, ContactKind Kind, string Value, string? Label, string? TimeZone, ConsentState Consent);

public sealed record FlagResponse(long Id, DebtorFlagKind Kind, DateOnly Since, DateOnly? Until, string? Note, bool InForce);

/// <summary>
/// A contact to add (no <see cref="Id"/>) or a change to an existing one (with <see cref="Id"/>: omitted fields stay as
/// they are, an empty label clears it, <see cref="Remove"/> removes the contact).
/// </summary>
public sealed record ContactInput(long? Id, ContactKind? Kind, string? Value, string? Label, ConsentState? Consent, string? TimeZone, bool? Remove);

/// <summary>A flag to add (no <see cref="Id"/>: kind and since), or an existing flag to end (with <see cref="Id"/>: until, optionally a note).</summary>
public sealed record FlagInput(long? Id, DebtorFlagKind? Kind, DateOnly? Since, DateOnly? Until, string? Note);

internal static class TimeText
{
    private static readonly LocalTimePattern HoursMinutes = LocalTimePattern.Create("HH:mm", CultureInfo.InvariantCulture);

    public static string Format(LocalTime time) => HoursMinutes.Format(time);

    public static bool TryParse(string text, out LocalTime time)
    {
        var result = HoursMinutes.Parse(text.Trim());
        time = result.Success ? result.Value : default;
        return result.Success;
    }
}
