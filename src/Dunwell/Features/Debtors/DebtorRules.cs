using System.Globalization;
using System.Net.Mail;
using Dunwell.Data;
using Dunwell.Domain.Accounts;
using NodaTime;
using NodaTime.TimeZones;
using PhoneNumbers;

namespace Dunwell.Features.Debtors;

/// <summary>
/// The shape rules and normalisation shared by creating and changing a debtor: countries, zones, languages,
/// contacts (phones to E.164 in the debtor's country, emails lower-cased), flags and preferences.
/// Errors are collected by field name ("contacts[1].value") for one validation problem.
/// </summary>
internal static class DebtorRules
{
    public const int MaxText = 200;

    private static readonly PhoneNumberUtil Phones = PhoneNumberUtil.GetInstance();

    public static string? FormatTime(LocalTime? time) => time is { } t ? TimeText.Format(t) : null;

    public static string NormaliseCountry(string country) => country.Trim().ToUpperInvariant();

    public static string? CountryError(string? country)
    {
        if (string.IsNullOrWhiteSpace(country))
        {
            return "Give the country as an ISO 3166-1 alpha-2 code, like US or GB.";
        }

        var code = NormaliseCountry(country);
        return code.Length == 2 && Phones.GetSupportedRegions().Contains(code)
            ? null
            : $"'{country}' is not an ISO 3166-1 alpha-2 country code, like US or GB.";
    }

    public static string? TimeZoneError(IDateTimeZoneProvider zones, string zone) =>
        zones.GetZoneOrNull(zone.Trim()) is null ? $"'{zone}' is not an IANA time zone, like America/New_York." : null;

    /// <summary>BCP 47 in its common shape: a 2-3 letter language, then subtags (en, en-GB, es-419, zh-Hant-TW).</summary>
    public static string? LanguageError(string language)
    {
        var parts = language.Trim().Split('-');
        var valid = parts[0].Length is 2 or 3 && parts[0].All(char.IsAsciiLetter)
            && parts.Skip(1).All(p => p.Length is >= 2 and <= 8 && p.All(char.IsAsciiLetterOrDigit));
        return valid ? null : $"'{language}' is not a BCP 47 language tag, like en or en-GB.";
    }

    public static string? TextError(string? value, string what, bool required, int max = MaxText)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return required ? $"Give the {what}." : null;
        }

        return value.Trim().Length > max ? $"Keep the {what} under {max} characters." : null;
    }

    public static string? Trimmed(string? value) => value?.Trim() is { Length: > 0 } text ? text : null;

    /// <summary>A contact value as stored: E.164 phone, lower-case email, one trimmed line of address.</summary>
    public static bool TryNormalise(ContactKind kind, string? value, string country, out string normalised, out string? error)
    {
        normalised = "";
        error = null;
        if (string.IsNullOrWhiteSpace(value))
        {
            error = "Give the contact's value.";
            return false;
        }

        var text = value.Trim();
        switch (kind)
        {
            case ContactKind.Phone:
                try
                {
                    var number = Phones.Parse(text, country);
                    if (Phones.IsValidNumber(number))
                    {
                        normalised = Phones.Format(number, PhoneNumberFormat.E164);
                        return true;
                    }
                }
                catch (NumberParseException)
                {
                    // Reported below.
                }

                error = $"'{text}' is not a valid phone number (numbers without a + are read as {country} numbers).";
                return false;

            case ContactKind.Email:
                if (text.Length <= 254 && MailAddress.TryCreate(text, out var address)
                    && string.Equals(address.Address, text, StringComparison.Ordinal) && address.Host.Contains('.', StringComparison.Ordinal))
                {
                    normalised = text.ToLowerInvariant();
                    return true;
                }

                error = $"'{text}' is not an email address.";
                return false;

            case ContactKind.Address:
                if (text.Length > 320)
                {
                    error = "Keep an address under 320 characters.";
                    return false;
                }

                normalised = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
                return true;

            default:
                error = "Unknown contact kind.";
                return false;
        }
    }

    /// <summary>The zone of a phone number when the number pins down exactly one (most US area codes, most countries).</summary>
    public static string? ZoneOfPhone(string e164, IDateTimeZoneProvider zones)
    {
        try
        {
            var candidates = PhoneNumberToTimeZonesMapper.GetInstance().GetTimeZonesForNumber(Phones.Parse(e164, null));
            return candidates.Count == 1 && zones.GetZoneOrNull(candidates[0]) is not null ? candidates[0] : null;
        }
        catch (NumberParseException)
        {
            return null;
        }
    }

    /// <summary>The zone of a country that has only one (GB, FR, DE…); null for the US, Canada, Australia…</summary>
    public static string? ZoneOfCountry(string country, IDateTimeZoneProvider zones)
    {
        var candidates = TzdbDateTimeZoneSource.Default.ZoneLocations?
            .Where(l => string.Equals(l.CountryCode, country, StringComparison.Ordinal))
            .Select(l => l.ZoneId)
            .Distinct(StringComparer.Ordinal)
            .Take(2)
            .ToList() ?? [];
        return candidates.Count == 1 && zones.GetZoneOrNull(candidates[0]) is not null ? candidates[0] : null;
    }

    /// <summary>
    /// Adds, changes or removes contacts. New phones get a zone from the number when none is given.
    /// <paramref name="present"/> says whether item i named a field (so <c>"consentExpiresAt": null</c> clears the expiry);
    /// without it a null field counts as left out.
    /// </summary>
    public static void ApplyContacts(
        Debtor debtor,
        IReadOnlyList<ContactInput?> inputs,
        bool creating,
        Instant now,
        IDateTimeZoneProvider zones,
        Dictionary<string, string[]> errors,
        Func<int, string, bool>? present = null)
    {
        for (var i = 0; i < inputs.Count; i++)
        {
            var field = $"contacts[{i}]";
            if (inputs[i] is not { } input)
            {
                errors[field] = ["Give a contact object."];
                continue;
            }

            if (input.TimeZone is { Length: > 0 } zone && TimeZoneError(zones, zone) is { } zoneError)
            {
                errors[$"{field}.timeZone"] = [zoneError];
            }

            if (input.Label is { Length: > 32 })
            {
                errors[$"{field}.label"] = ["Keep a label under 32 characters."];
            }

            if (input.Id is not { } id)
            {
                AddContact(debtor, input, field, now, zones, errors);
                continue;
            }

            if (creating)
            {
                errors[$"{field}.id"] = ["A new debtor has no contacts to change yet; leave the id out."];
                continue;
            }

            var existing = debtor.Contacts.FirstOrDefault(c => c.Id == id);
            if (existing is null)
            {
                errors[$"{field}.id"] = [$"The debtor has no contact {id}."];
                continue;
            }

            if (input.Remove == true)
            {
                // Deleting the row would delete the wish with it, and the same number or address added again would be
                // contacted as if nothing had been said.
                if (WishOn(existing) is { } wish)
                {
                    errors[$"{field}.remove"] = [$"Contact {id} ({existing.Value}) cannot be removed: {wish}, and the record must keep that. "
                        + "It is not used while it says so; if the customer takes it back, record that on the contact first."];
                    continue;
                }

                debtor.Contacts.Remove(existing);
                continue;
            }

            if (input.Kind is { } kind && kind != existing.Kind)
            {
                errors[$"{field}.kind"] = ["A contact's kind cannot change; remove it and add a new one."];
                continue;
            }

            if (input.Value is not null)
            {
                if (!TryNormalise(existing.Kind, input.Value, debtor.Country, out var value, out var error))
                {
                    errors[$"{field}.value"] = [error!];
                    continue;
                }

                if (debtor.Contacts.Any(c => c != existing && c.Kind == existing.Kind && string.Equals(c.Value, value, StringComparison.Ordinal)))
                {
                    errors[$"{field}.value"] = [$"The debtor already has {value}."];
                    continue;
                }

                if (!string.Equals(existing.Value, value, StringComparison.Ordinal))
                {
                    // A wish belongs to the number or address it was given for; rewriting the value would move it away.
                    if (WishOn(existing) is { } wish)
                    {
                        errors[$"{field}.value"] = [$"Contact {id} ({existing.Value}) keeps its value: {wish}. Add {value} as a new contact."];
                        continue;
                    }

                    existing.Value = value;
                    existing.TimeZone = input.TimeZone is { Length: > 0 } given ? given.Trim() : InferZone(existing.Kind, value, debtor.Country, zones);
                }
            }

            if (input.Label is not null)
            {
                existing.Label = Trimmed(input.Label);
            }

            if (input.TimeZone is { Length: > 0 } newZone)
            {
                existing.TimeZone = newZone.Trim();
            }

            var expiryGiven = present is null ? input.ConsentExpiresAt is not null : present(i, "consentExpiresAt");
            var consentAt = ConsentAt(input, field, now, errors);
            if (input.Consent is { } consent && (consent != existing.Consent || consentAt is not null))
            {
                // A new consent state starts afresh: an expiry belongs to the consent it was given with. Stating when it
                // was given records it anew even in the same state (consent recorded today, given yesterday).
                existing.Consent = consent;
                existing.ConsentChangedAt = consentAt ?? now;
                existing.ConsentExpiresAt = input.ConsentExpiresAt is { } expires ? Instant.FromDateTimeOffset(expires) : null;
            }
            else if (expiryGiven)
            {
                existing.ConsentExpiresAt = input.ConsentExpiresAt is { } expires ? Instant.FromDateTimeOffset(expires) : null;
            }

            existing.Workplace = input.Workplace ?? existing.Workplace;
            existing.EmployerProhibits = input.EmployerProhibits ?? existing.EmployerProhibits;
            existing.InconvenientPlace = input.InconvenientPlace ?? existing.InconvenientPlace;
            CheckMarkers(existing, field, errors);
        }
    }

    /// <summary>
    /// A contact's stated consent instant (<see cref="ContactInput.ConsentAt"/>), checked: only with a consent state, not
    /// in the future, and before the expiry given with it.
    /// </summary>
    private static Instant? ConsentAt(ContactInput input, string field, Instant now, Dictionary<string, string[]> errors)
    {
        if (input.ConsentAt is not { } given)
        {
            return null;
        }

        var at = Instant.FromDateTimeOffset(given);
        if (input.Consent is null)
        {
            errors[$"{field}.consentAt"] = ["consentAt says when a consent or opt-out was given; give consent (granted, optedOut or unknown) with it."];
        }
        else if (at > now)
        {
            errors[$"{field}.consentAt"] = ["consentAt is in the future; give when the customer gave it, or leave it out for now."];
        }
        else if (input.ConsentExpiresAt is { } expires && Instant.FromDateTimeOffset(expires) <= at)
        {
            errors[$"{field}.consentExpiresAt"] = ["The consent expires before it was given; give an expiry after consentAt."];
        }

        return at;
    }

    /// <summary>What a contact records of the customer's wishes (or an employer's prohibition) about using it, if anything.</summary>
    private static string? WishOn(DebtorContact contact) =>
        contact.Consent == ConsentState.OptedOut ? "the customer opted out of contact there"
        : contact.InconvenientPlace ? "the customer called it an inconvenient place to be reached"
        : contact.EmployerProhibits ? "the employer prohibits collection contact there"
        : null;

    /// <summary>An expiry only ends a consent that was given; an employer's prohibition only applies to a workplace contact.</summary>
    private static void CheckMarkers(DebtorContact contact, string field, Dictionary<string, string[]> errors)
    {
        if (contact.ConsentExpiresAt is not null && contact.Consent != ConsentState.Granted)
        {
            errors[$"{field}.consentExpiresAt"] = ["A consent expiry only applies to a consent that was given; set consent to granted with it, or leave it out."];
        }

        if (contact.EmployerProhibits && !contact.Workplace)
        {
            errors[$"{field}.employerProhibits"] = ["An employer's prohibition applies to a workplace contact; set workplace to true with it."];
        }
    }

    private static void AddContact(
        Debtor debtor, ContactInput input, string field, Instant now, IDateTimeZoneProvider zones, Dictionary<string, string[]> errors)
    {
        if (input.Remove == true)
        {
            errors[$"{field}.remove"] = ["Say which contact to remove with its id."];
            return;
        }

        if (input.Kind is not { } kind)
        {
            errors[$"{field}.kind"] = ["Say which kind of contact: phone, email or address."];
            return;
        }

        if (!TryNormalise(kind, input.Value, debtor.Country, out var value, out var error))
        {
            errors[$"{field}.value"] = [error!];
            return;
        }

        if (debtor.Contacts.Any(c => c.Kind == kind && string.Equals(c.Value, value, StringComparison.Ordinal)))
        {
            errors[$"{field}.value"] = [$"The debtor already has {value}."];
            return;
        }

        var contact = new DebtorContact
        {
            Kind = kind,
            Value = value,
            Label = Trimmed(input.Label),
            TimeZone = input.TimeZone is { Length: > 0 } given ? given.Trim() : InferZone(kind, value, debtor.Country, zones),
            Consent = input.Consent ?? ConsentState.Unknown,
            ConsentChangedAt = input.Consent is null ? null : ConsentAt(input, field, now, errors) ?? now,
            ConsentExpiresAt = input.ConsentExpiresAt is { } expires ? Instant.FromDateTimeOffset(expires) : null,
            Workplace = input.Workplace ?? false,
            EmployerProhibits = input.EmployerProhibits ?? false,
            InconvenientPlace = input.InconvenientPlace ?? false,
            CreatedAt = now,
        };
        CheckMarkers(contact, field, errors);
        debtor.Contacts.Add(contact);
    }

    /// <summary>The most inconvenient-time ranges one debtor can have: enough for any week someone describes.</summary>
    public const int MaxInconvenientTimes = 28;

    /// <summary>
    /// Replaces the debtor's inconvenient times with <paramref name="inputs"/> (null or empty clears them). A range whose
    /// until is before its from runs past midnight; until "24:00" is the midnight that ends the day, so 00:00 to 24:00
    /// (or 00:00 to 00:00) is the whole day, stored as 00:00 to 00:00. Other equal ends are refused: "09:00 to 09:00"
    /// could mean no time or a day from 09:00. Days are optional (every day) and stored in ISO order.
    /// </summary>
    public static void ApplyInconvenientTimes(Debtor debtor, IReadOnlyList<InconvenientTimeWire?>? inputs, Dictionary<string, string[]> errors)
    {
        inputs ??= [];
        if (inputs.Count > MaxInconvenientTimes)
        {
            errors["inconvenientTimes"] = [$"Keep to {MaxInconvenientTimes} ranges at most."];
            return;
        }

        var ranges = new List<DebtorInconvenientTime>();
        for (var i = 0; i < inputs.Count; i++)
        {
            var field = $"inconvenientTimes[{i}]";
            if (inputs[i] is not { } input)
            {
                errors[field] = ["Give a range object: { \"from\": \"HH:mm\", \"until\": \"HH:mm\", \"days\": [\"sat\"] }."];
                continue;
            }

            var from = TimeText.IsEndOfDay(input.From) ? RangeStartsAtEnd($"{field}.from", errors) : RequiredTime(input.From, $"{field}.from", "from", errors);
            var until = TimeText.IsEndOfDay(input.Until) ? LocalTime.Midnight : RequiredTime(input.Until, $"{field}.until", "until", errors);
            if (from is { } same && same == until && same != LocalTime.Midnight)
            {
                errors[$"{field}.until"] = [$"until is the same time as from ({TimeText.Format(same)}): for the whole day give 00:00 to 24:00; otherwise give a range (an until before from runs past midnight)."];
            }

            var days = new SortedSet<IsoDayOfWeek>();
            if (input.Days is { } given)
            {
                if (given.Count == 0)
                {
                    errors[$"{field}.days"] = ["Leave days out for every day, or name at least one."];
                }

                for (var j = 0; j < given.Count; j++)
                {
                    if (DayNames.TryParse(given[j], out var day))
                    {
                        days.Add(day);
                    }
                    else
                    {
                        errors[$"{field}.days[{j}]"] = [$"'{given[j]}' is not a day; use one of {DayNames.AllNames}."];
                    }
                }
            }

            if (from is { } f && until is { } u)
            {
                ranges.Add(new DebtorInconvenientTime { From = f, Until = u, Days = DayNames.Format(days) });
            }
        }

        if (errors.Keys.Any(k => k.StartsWith("inconvenientTimes", StringComparison.Ordinal)))
        {
            return;
        }

        debtor.InconvenientTimes.Clear();
        debtor.InconvenientTimes.AddRange(ranges);
    }

    private static LocalTime? RangeStartsAtEnd(string field, Dictionary<string, string[]> errors)
    {
        errors[field] = ["A range cannot start at 24:00, the end of the day; start it at 00:00."];
        return null;
    }

    private static LocalTime? RequiredTime(string? text, string field, string name, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            errors[field] = [$"Give {name} as a time of day, HH:mm."];
            return null;
        }

        return ParseTime(text, field, errors);
    }

    private static string? InferZone(ContactKind kind, string value, string country, IDateTimeZoneProvider zones) => kind switch
    {
        ContactKind.Phone => ZoneOfPhone(value, zones),
        ContactKind.Address => ZoneOfCountry(country, zones),
        ContactKind.Email => null,
    };

    /// <summary>
    /// A new breathing space's first day from the register date it was given with (<see cref="FlagInput.RegisteredOn"/>):
    /// the day after (SI 2020/1311 reg. 26(1)). Null when none was given; an error when another flag has one, or the
    /// since given with it is not that day.
    /// </summary>
    private static DateOnly? RegisterEntryStart(FlagInput input, DebtorFlagKind kind, string field, Dictionary<string, string[]> errors)
    {
        if (input.RegisteredOn is not { } registered)
        {
            return null;
        }

        if (!Compliance.ContactQuestion.IsBreathingSpace(kind))
        {
            errors[$"{field}.registeredOn"] = ["Only a breathing space has a register date; leave registeredOn out."];
            return null;
        }

        var start = Domain.Compliance.BreathingSpaces.StartAfterRegisterEntry(LocalDate.FromDateOnly(registered)).ToDateOnly();
        if (input.Since is { } since && since != start)
        {
            errors[$"{field}.since"] = [string.Create(CultureInfo.InvariantCulture,
                $"A breathing space starts the day after its register entry: registered on {registered:yyyy-MM-dd}, it started on {start:yyyy-MM-dd}, not {since:yyyy-MM-dd}. Give the register date or the start date.")];
            return null;
        }

        return start;
    }

    /// <summary>The flags whose instant the rules read (<see cref="FlagInput.At"/>): consents and opt-outs.</summary>
    public static bool IsDated(DebtorFlagKind kind) => kind is DebtorFlagKind.ConsentToCalls or DebtorFlagKind.ConsentToInconvenientTimes
        or DebtorFlagKind.OptOutCalls or DebtorFlagKind.OptOutSms or DebtorFlagKind.OptOutEmail or DebtorFlagKind.OptOutLetters;

    /// <summary>
    /// Adds flags, or ends existing ones by giving them an until date. A consent or opt-out may say the instant it was
    /// given or withdrawn (<c>at</c>); its day in <paramref name="creditorZone"/> (the calendar flags are kept in) is
    /// then its since or until.
    /// </summary>
    public static void ApplyFlags(
        Debtor debtor, IReadOnlyList<FlagInput?> inputs, bool creating, string actor, Instant now, DateTimeZone creditorZone, Dictionary<string, string[]> errors)
    {
        for (var i = 0; i < inputs.Count; i++)
        {
            var field = $"flags[{i}]";
            if (inputs[i] is not { } input)
            {
                errors[field] = ["Give a flag object."];
                continue;
            }

            if (input.Note is { Length: > 1000 })
            {
                errors[$"{field}.note"] = ["Keep a note under 1000 characters."];
                continue;
            }

            if (input.Id is not { } id)
            {
                if (input.Kind is not { } kind)
                {
                    errors[$"{field}.kind"] = [$"Say which flag: {string.Join(", ", Enum.GetNames<DebtorFlagKind>().Select(n => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(n)))}."];
                    continue;
                }

                var given = FlagAt(input, kind, field, "given", input.Since, now, creditorZone, errors);
                if (errors.ContainsKey($"{field}.at") || errors.ContainsKey($"{field}.since"))
                {
                    continue;
                }

                var started = RegisterEntryStart(input, kind, field, errors);
                if (errors.ContainsKey($"{field}.registeredOn") || errors.ContainsKey($"{field}.since"))
                {
                    continue;
                }

                if ((started ?? (given is { } g ? g.InZone(creditorZone).Date.ToDateOnly() : input.Since)) is not { } since)
                {
                    errors[$"{field}.since"] = [Compliance.ContactQuestion.IsBreathingSpace(kind)
                        ? "Say the date the breathing space started (yyyy-MM-dd; day 1, the day after its register entry), or give registeredOn, the register date on the notice."
                        : "Say since when the flag applies (yyyy-MM-dd)."];
                    continue;
                }

                if (input.Until is { } until && until < since)
                {
                    errors[$"{field}.until"] = ["A flag cannot end before it starts."];
                    continue;
                }

                var sinceDay = LocalDate.FromDateOnly(since);
                debtor.Flags.Add(new DebtorFlag
                {
                    Kind = kind,
                    Since = sinceDay,
                    // A consent not dated counts from when it is recorded (never from before it was given); kept, so ending it later moves nothing.
                    At = given ?? (kind is DebtorFlagKind.ConsentToCalls or DebtorFlagKind.ConsentToInconvenientTimes
                        ? Instant.Max(sinceDay.AtStartOfDayInZone(creditorZone).ToInstant(), now) : null),
                    Until = input.Until is { } end ? LocalDate.FromDateOnly(end) : null,
                    Note = Trimmed(input.Note),
                    RecordedBy = actor,
                    RecordedAt = now,
                });
                continue;
            }

            if (creating)
            {
                errors[$"{field}.id"] = ["A new debtor has no flags to end yet; leave the id out."];
                continue;
            }

            var existing = debtor.Flags.FirstOrDefault(f => f.Id == id);
            if (existing is null)
            {
                errors[$"{field}.id"] = [$"The debtor has no flag {id}."];
                continue;
            }

            if (input.Kind is { } changed && changed != existing.Kind || input.Since is { } moved && LocalDate.FromDateOnly(moved) != existing.Since
                || input.RegisteredOn is not null)
            {
                errors[field] = ["A recorded flag's kind and start stay as recorded; end it with until and add a new one."];
                continue;
            }

            var withdrawn = FlagAt(input, existing.Kind, field, "withdrawn", input.Until, now, creditorZone, errors);
            if (errors.ContainsKey($"{field}.at") || errors.ContainsKey($"{field}.until"))
            {
                continue;
            }

            if ((withdrawn is { } w ? w.InZone(creditorZone).Date.ToDateOnly() : input.Until) is not { } newUntil)
            {
                errors[$"{field}.until"] = ["End a flag by giving the date it ends (yyyy-MM-dd), or for a consent or opt-out the instant it was withdrawn (at)."];
                continue;
            }

            if (LocalDate.FromDateOnly(newUntil) < existing.Since || (withdrawn is { } endsAt && existing.At is { } start && endsAt < start))
            {
                errors[withdrawn is null ? $"{field}.until" : $"{field}.at"] = ["A flag cannot end before it starts."];
                continue;
            }

            existing.Until = LocalDate.FromDateOnly(newUntil);
            existing.EndedAt = withdrawn;
            if (Trimmed(input.Note) is { } note)
            {
                existing.Note = note;
            }

            existing.RecordedBy = actor;
            existing.RecordedAt = now;
        }
    }

    /// <summary>
    /// A flag's stated instant, checked: only for a consent or an opt-out, not in the future, and on the day
    /// <paramref name="day"/> names when both are given (the day in the creditor's zone).
    /// </summary>
    private static Instant? FlagAt(
        FlagInput input, DebtorFlagKind kind, string field, string what, DateOnly? day, Instant now, DateTimeZone creditorZone, Dictionary<string, string[]> errors)
    {
        if (input.At is not { } given)
        {
            return null;
        }

        var at = Instant.FromDateTimeOffset(given);
        var dayField = what == "given" ? "since" : "until";
        if (!IsDated(kind))
        {
            errors[$"{field}.at"] = ["at dates a consent or an opt-out; other flags run from the start of their since day to the end of their until day."];
        }
        else if (at > now)
        {
            errors[$"{field}.at"] = [$"at is in the future; give when the customer {what} it, or leave at out for now."];
        }
        else if (day is { } stated && LocalDate.FromDateOnly(stated) != at.InZone(creditorZone).Date)
        {
            errors[$"{field}.{dayField}"] = [$"{dayField} is {stated:yyyy-MM-dd} but at falls on {at.InZone(creditorZone).Date:yyyy-MM-dd} in the creditor's zone ({creditorZone.Id}); leave {dayField} out or make them agree."];
        }

        return at;
    }

    /// <summary>
    /// Sets the preferences that are <paramref name="present"/> (null clears one), then checks the pair of contact hours.
    /// </summary>
    public static void ApplyPreferences(Debtor debtor, PreferencesWire preferences, Func<string, bool> present, Dictionary<string, string[]> errors)
    {
        if (present("channel"))
        {
            debtor.PreferredChannel = preferences.Channel;
        }

        if (present("contactFrom"))
        {
            debtor.ContactFrom = ParseTime(preferences.ContactFrom, "preferences.contactFrom", errors);
        }

        if (present("contactUntil"))
        {
            debtor.ContactUntil = ParseTime(preferences.ContactUntil, "preferences.contactUntil", errors);
        }

        if (present("toneNotes"))
        {
            if (TextError(preferences.ToneNotes, "tone notes", required: false, max: 1000) is { } error)
            {
                errors["preferences.toneNotes"] = [error];
            }

            debtor.ToneNotes = Trimmed(preferences.ToneNotes);
        }

        if (errors.Keys.Any(k => k.StartsWith("preferences.contact", StringComparison.Ordinal)))
        {
            return;
        }

        if ((debtor.ContactFrom is null) != (debtor.ContactUntil is null))
        {
            errors["preferences.contactUntil"] = ["Give both contactFrom and contactUntil, or neither."];
        }
        else if (debtor.ContactFrom >= debtor.ContactUntil)
        {
            errors["preferences.contactUntil"] = ["contactUntil must be later in the day than contactFrom."];
        }
    }

    private static LocalTime? ParseTime(string? text, string field, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (TimeText.TryParse(text, out var time))
        {
            return time;
        }

        errors[field] = [$"'{text}' is not a time of day; use HH:mm, like 09:00."];
        return null;
    }
}
