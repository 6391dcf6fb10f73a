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
    string? LocationTimeZone,
    string? Language,
    PreferencesWire Preferences,
    IReadOnlyList<InconvenientTimeWire> InconvenientTimes,
    IReadOnlyList<ContactResponse> Contacts,
    IReadOnlyList<FlagResponse> Flags)
{
    /// <summary>The creditor whose customer this is: debtor references are that creditor's own.</summary>
    public string CreditorReference { get; init; } = "";

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
        debtor.LocationTimeZone,
        debtor.Language,
        new PreferencesWire(debtor.PreferredChannel, DebtorRules.FormatTime(debtor.ContactFrom), DebtorRules.FormatTime(debtor.ContactUntil), debtor.ToneNotes),
        [.. debtor.InconvenientTimes.Select(InconvenientTimeWire.Of)],
        [.. debtor.Contacts.Select(c => new ContactResponse(c.Id, c.Kind, c.Value, c.Label, c.TimeZone, c.Consent, c.ConsentExpiresAt?.ToDateTimeOffset(),
            c.Workplace, c.EmployerProhibits, c.InconvenientPlace))],
        [.. debtor.Flags.Select(f => new FlagResponse(f.Id, f.Kind, f.Since.ToDateOnly(), f.Until?.ToDateOnly(), f.Note, f.InForce)
        {
            At = f.At?.ToDateTimeOffset(),
            EndedAt = f.EndedAt?.ToDateTimeOffset(),
            RecordedAt = f.RecordedAt.ToDateTimeOffset(),
            ProtectedThrough = f.ProtectedThrough?.ToDateOnly(),
        })])
    {
        CreditorReference = debtor.CreditorReference,
    };
}

/// <summary>How the debtor likes to be contacted. Contact hours are local times "HH:mm" in the debtor's zone.</summary>
public sealed record PreferencesWire(InteractionChannel? Channel, string? ContactFrom, string? ContactUntil, string? ToneNotes);

/// <summary>
/// A contact on the wire. <see cref="ConsentExpiresAt"/> ends a granted consent; <see cref="Workplace"/> marks a work phone,
/// address or employer-provided email, <see cref="EmployerProhibits"/> that the employer forbids collection contact there,
/// <see cref="InconvenientPlace"/> that the debtor called it an inconvenient place to be reached.
/// </summary>
public sealed record ContactResponse(
    long Id,
    ContactKind Kind,
    string Value,
    string? Label,
    string? TimeZone,
    ConsentState Consent,
    DateTimeOffset? ConsentExpiresAt,
    bool Workplace,
    bool EmployerProhibits,
    bool InconvenientPlace);

/// <summary>
/// A local time range the debtor called inconvenient, "HH:mm" in the debtor's zone; <see cref="Until"/> is excluded and
/// an <see cref="Until"/> before <see cref="From"/> runs past midnight. <see cref="Until"/> "24:00" is the midnight that
/// ends the day: "00:00" to "24:00" is the whole day (so is "00:00" to "00:00"; other equal ends are an error).
/// <see cref="Days"/> are the days it starts on (mon … sun); null for every day.
/// </summary>
public sealed record InconvenientTimeWire(string? From, string? Until, IReadOnlyList<string?>? Days)
{
    public static InconvenientTimeWire Of(InconvenientTimeLine line) =>
        new(TimeText.Format(line.From), line.IsWholeDay ? TimeText.EndOfDay : TimeText.Format(line.Until), line.Days.Count == 0 ? null : [.. line.Days.Select(DayNames.Of)]);
}

public sealed record FlagResponse(long Id, DebtorFlagKind Kind, DateOnly Since, DateOnly? Until, string? Note, bool InForce)
{
    /// <summary>For a consent or an opt-out: the instant the customer gave it, when it was stated (the rules count from it).</summary>
    public DateTimeOffset? At { get; init; }

    /// <summary>For a consent or an opt-out: the instant the customer withdrew it, when it was stated.</summary>
    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>When the flag was recorded, or last ended: the record's own time, whatever instant it states.</summary>
    public DateTimeOffset RecordedAt { get; init; }

    /// <summary>
    /// For a breathing space, the last day it protects as the contact rules and the charges read it: the notified end,
    /// else day 60 of a standard one (since + 59); null for a mental health crisis one until its end is notified.
    /// </summary>
    public DateOnly? ProtectedThrough { get; init; }
}

/// <summary>
/// A contact to add (no <see cref="Id"/>) or a change to an existing one (with <see cref="Id"/>: omitted fields stay as
/// they are, an empty label clears it, <c>"consentExpiresAt": null</c> clears the expiry, <see cref="Remove"/> removes
/// the contact). A change of consent starts afresh: its expiry is the one given with it, or none. A contact opted out
/// of, called an inconvenient place, or whose employer prohibits contact keeps its value and cannot be removed, so the
/// wish stays with the number or address it was given for.
/// </summary>
public sealed record ContactInput(
    long? Id,
    ContactKind? Kind,
    string? Value,
    string? Label,
    ConsentState? Consent,
    string? TimeZone,
    bool? Remove,
    DateTimeOffset? ConsentExpiresAt = null,
    bool? Workplace = null,
    bool? EmployerProhibits = null,
    bool? InconvenientPlace = null)
{
    /// <summary>
    /// When the customer gave the consent (or opted out) that <see cref="Consent"/> records, if not now: consent given on
    /// yesterday's call, a creditor's history. Not in the future; the rules count from it. Only with <see cref="Consent"/>.
    /// </summary>
    public DateTimeOffset? ConsentAt { get; init; }
}

/// <summary>A flag to add (no <see cref="Id"/>: kind and since), or an existing flag to end (with <see cref="Id"/>: until, optionally a note).</summary>
/// <param name="Id">The flag to end; left out to add one.</param>
/// <param name="Kind">What the flag says (camelCase: ceaseCommunication, breathingSpace …).</param>
/// <param name="Since">
/// The first day the flag applies (yyyy-MM-dd, the creditor's calendar). For a breathing space: the date the breathing
/// space started, its day 1, which is the day after its entry on the Insolvency Service register (SI 2020/1311 reg.
/// 26(1)); give <see cref="RegisteredOn"/> instead when you have the register date.
/// </param>
/// <param name="Until">
/// The last day it applies. For a breathing space: the last protected day the Insolvency Service notifies; left out,
/// a standard one protects 60 days (day 60 is since + 59) and a mental health crisis one until its end is given.
/// </param>
/// <param name="Note">A short note (under 1000 characters).</param>
public sealed record FlagInput(long? Id, DebtorFlagKind? Kind, DateOnly? Since, DateOnly? Until, string? Note)
{
    /// <summary>
    /// For a new breathing space: the date it was entered on the Insolvency Service register (the notice gives it). It
    /// starts the next day (SI 2020/1311 reg. 26(1)), which becomes <see cref="Since"/>; registered 2026-02-27, it starts
    /// 2026-02-28 and protects through 2026-04-28. A <see cref="Since"/> given with it must be that next day.
    /// </summary>
    public DateOnly? RegisteredOn { get; init; }

    /// <summary>
    /// For a consent or an opt-out: the instant the customer gave it (a new flag; <see cref="Since"/> is then its day in
    /// the creditor's zone) or withdrew it (ending one; <see cref="Until"/> is then its day). Not in the future; the rules
    /// count from it. Left out: a new consent counts from when it is recorded, an opt-out from the start of its day, and
    /// an ending from the end of its day.
    /// </summary>
    public DateTimeOffset? At { get; init; }
}

/// <summary>ISO days as the wire and the <c>debtor_inconvenient_times.days</c> column write them: mon, tue … sun.</summary>
public static class DayNames
{
    private static readonly string[] Names = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

    public static string Of(IsoDayOfWeek day) => Names[(int)day - 1];

    public static bool TryParse(string? text, out IsoDayOfWeek day)
    {
        var index = text is null ? -1 : Array.IndexOf(Names, text.Trim().ToLowerInvariant());
        day = index < 0 ? IsoDayOfWeek.None : (IsoDayOfWeek)(index + 1);
        return index >= 0;
    }

    /// <summary>The stored form: "sat,sun" in ISO order; null for every day.</summary>
    public static string? Format(IReadOnlyCollection<IsoDayOfWeek> days) =>
        days.Count == 0 ? null : string.Join(',', days.Order().Select(Of));

    /// <summary>The days of a stored value; empty for every day (null or blank).</summary>
    public static IReadOnlyList<IsoDayOfWeek> Parse(string? stored) =>
        string.IsNullOrWhiteSpace(stored)
            ? []
            : [.. stored.Split(',').Select(part => TryParse(part, out var day) ? day : IsoDayOfWeek.None).Where(d => d != IsoDayOfWeek.None).Distinct().Order()];

    public static string AllNames => string.Join(", ", Names);
}

internal static class TimeText
{
    private static readonly LocalTimePattern HoursMinutes = LocalTimePattern.Create("HH:mm", CultureInfo.InvariantCulture);

    public static string Format(LocalTime time) => HoursMinutes.Format(time);

    /// <summary>The midnight that ends a day, as the end of a range says it; stored as 00:00.</summary>
    public const string EndOfDay = "24:00";

    public static bool IsEndOfDay(string? text) => text?.Trim() == EndOfDay;

    public static bool TryParse(string text, out LocalTime time)
    {
        var result = HoursMinutes.Parse(text.Trim());
        time = result.Success ? result.Value : default;
        return result.Success;
    }
}
