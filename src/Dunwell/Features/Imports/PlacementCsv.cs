using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using Dunwell.Domain.Accounts;
using Dunwell.Domain.Amounts;
using Dunwell.Domain.Inputs;
using Dunwell.Domain.Ledger;
using NodaTime;
using NodaTime.Text;
using PhoneNumbers;

namespace Dunwell.Features.Imports;

/// <summary>A phone number in E.164 with the zone its number belongs to, when the number tells.</summary>
public sealed record PhoneContact(string E164, string? TimeZone);

/// <summary>A placement row that passed every check that needs no database.</summary>
public sealed record PlacementRow(
    int Line,
    string CreditorRef,
    string AccountRef,
    string DebtorRef,
    DebtorKind DebtorKind,
    string Name,
    string? Email,
    PhoneContact? Phone,
    PhoneContact? Phone2,
    string? AddressLine1,
    string? AddressLine2,
    string? City,
    string? Region,
    string? PostalCode,
    string Country,
    string? GivenTimeZone,
    string DebtorTimeZone,
    string? Language,
    AccountKind AccountKind,
    string Currency,
    Components Amount,
    LocalDate DueDate,
    LocalDate? ItemizationDate,
    string? OriginalCreditor,
    LocalDate? LastPaymentDate)
{
    /// <summary>The opening charge's value date: the itemization date when given (Regulation F), else the due date.</summary>
    public LocalDate OpeningDate => ItemizationDate ?? DueDate;

    /// <summary>The consents and opt-outs the row dates (<see cref="PlacementCsv.DatedColumns"/>), in column order.</summary>
    public IReadOnlyList<DatedFact> Dated { get; init; } = [];
}

/// <summary>
/// A consent or opt-out a placement row says the customer gave at <see cref="At"/>: the debtor flag it records, or (no
/// <see cref="Flag"/>) consent to email at the row's email address.
/// </summary>
public sealed record DatedFact(string Column, DebtorFlagKind? Flag, Instant At);

/// <summary>
/// The placement file (DESIGN §5.4): its columns and the shape checks of one row. Values are kept as given (a name
/// that starts with "=" is just text here; <see cref="CsvText.Neutralise"/> guards any later export).
/// </summary>
public static class PlacementCsv
{
    public const string CreditorRef = "creditor_ref";
    public const string AccountRef = "account_ref";
    public const string DebtorRef = "debtor_ref";
    public const string DebtorKindColumn = "debtor_kind";
    public const string Name = "name";
    public const string Email = "email";
    public const string Phone = "phone";
    public const string Phone2 = "phone2";
    public const string AddressLine1 = "address_line1";
    public const string AddressLine2 = "address_line2";
    public const string City = "city";
    public const string Region = "region";
    public const string PostalCode = "postal_code";
    public const string Country = "country";
    public const string TimeZone = "time_zone";
    public const string Language = "language";
    public const string AccountKindColumn = "account_kind";
    public const string Currency = "currency";
    public const string Principal = "principal";
    public const string Interest = "interest";
    public const string Fees = "fees";
    public const string DueDate = "due_date";
    public const string ItemizationDate = "itemization_date";
    public const string OriginalCreditor = "original_creditor";
    public const string LastPaymentDate = "last_payment_date";
    public const string ConsentToCallsAt = "consent_to_calls_at";
    public const string ConsentToInconvenientTimesAt = "consent_to_inconvenient_times_at";
    public const string OptOutCallsAt = "opt_out_calls_at";
    public const string OptOutSmsAt = "opt_out_sms_at";
    public const string OptOutEmailAt = "opt_out_email_at";
    public const string OptOutLettersAt = "opt_out_letters_at";
    public const string EmailConsentAt = "email_consent_at";

    /// <summary>
    /// The optional columns that date a consent or an opt-out: the instant the customer gave it, ISO-8601 with Z or an
    /// offset (as the API's <c>at</c>), not in the future. Each records the debtor flag of the same name (its since day
    /// is the instant's day in the creditor's zone); email_consent_at records consent at the row's email address.
    /// </summary>
    public static IReadOnlyList<(string Column, DebtorFlagKind? Flag)> DatedColumns { get; } =
    [
        (ConsentToCallsAt, DebtorFlagKind.ConsentToCalls),
        (ConsentToInconvenientTimesAt, DebtorFlagKind.ConsentToInconvenientTimes),
        (OptOutCallsAt, DebtorFlagKind.OptOutCalls),
        (OptOutSmsAt, DebtorFlagKind.OptOutSms),
        (OptOutEmailAt, DebtorFlagKind.OptOutEmail),
        (OptOutLettersAt, DebtorFlagKind.OptOutLetters),
        (EmailConsentAt, null),
    ];

    /// <summary>The columns the generator fills, in the order it writes them.</summary>
    public static IReadOnlyList<string> GeneratedHeader { get; } =
    [
        CreditorRef, AccountRef, DebtorRef, DebtorKindColumn, Name, Email, Phone, Phone2, AddressLine1, AddressLine2, City, Region,
        PostalCode, Country, TimeZone, Language, AccountKindColumn, Currency, Principal, Interest, Fees, DueDate, ItemizationDate,
        OriginalCreditor, LastPaymentDate,
    ];

    /// <summary>Every column a placement file may have, in the order a row's values are read.</summary>
    public static IReadOnlyList<string> Header { get; } = [.. GeneratedHeader, .. DatedColumns.Select(c => c.Column)];

    internal static ColumnSet Columns { get; } = new(Header, new HashSet<string>(StringComparer.Ordinal)
    {
        CreditorRef, AccountRef, DebtorRef, DebtorKindColumn, Name, Country, AccountKindColumn, Currency, Principal, DueDate,
    }, new HashSet<string>(StringComparer.Ordinal) { CreditorRef, AccountRef, DebtorRef });

    private static readonly int[] Index = [.. Header.Select((_, i) => i)];

    private static readonly SearchValues<char> AsciiLetters = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

    private static readonly SearchValues<char> AsciiLettersAndDigits = SearchValues.Create("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

    private static readonly PhoneNumberUtil Phones = PhoneNumberUtil.GetInstance();

    private static readonly PhoneNumberToTimeZonesMapper PhoneZones = PhoneNumberToTimeZonesMapper.GetInstance();

    /// <summary>Checks one row's values (in <see cref="Header"/> order, null when blank or absent) without touching the database.</summary>
    public static (PlacementRow? Row, IReadOnlyList<RowError> Errors) Parse(int line, IReadOnlyList<string?> values) => Parse(line, values, null);

    /// <summary>As <see cref="Parse(int, IReadOnlyList{string})"/>, remembering phone results in <paramref name="phones"/> for later rows.</summary>
    internal static (PlacementRow? Row, IReadOnlyList<RowError> Errors) Parse(int line, IReadOnlyList<string?> values, PhoneCache? phones)
    {
        ArgumentNullException.ThrowIfNull(values);
        var errors = new List<RowError>();
        string? Value(int column) => values[Index[column]];
        string Required(int column, int maxLength)
        {
            var name = Header[column];
            if (Value(column) is not { } value)
            {
                errors.Add(new RowError(line, name, "A value is required."));
                return "";
            }

            if (value.Length > maxLength)
            {
                errors.Add(new RowError(line, name, string.Create(CultureInfo.InvariantCulture, $"Longer than {maxLength} characters.")));
            }

            return value;
        }

        string? Optional(int column, int maxLength)
        {
            var value = Value(column);
            if (value is { } given && given.Length > maxLength)
            {
                errors.Add(new RowError(line, Header[column], string.Create(CultureInfo.InvariantCulture, $"Longer than {maxLength} characters.")));
            }

            return value;
        }

        var creditorRef = Required(0, 64);
        var accountRef = Required(1, 64);
        var debtorRef = Required(2, 64);
        var debtorKind = ParseKind<DebtorKind>(Value(3), DebtorKindColumn, "person or company", line, errors);
        var name = Required(4, 200);
        var email = ParseEmail(Value(5), line, errors);
        var addressLine1 = Optional(8, 400);
        var addressLine2 = Optional(9, 400);
        var city = Optional(10, 200);
        var region = Optional(11, 200);
        var postalCode = Optional(12, 32);

        var countryText = Value(13)?.ToUpperInvariant();
        var country = countryText is null ? null : Regions.IsCountry(countryText) ? countryText : null;
        if (countryText is null)
        {
            errors.Add(new RowError(line, Country, "A value is required."));
        }
        else if (country is null)
        {
            errors.Add(new RowError(line, Country, $"'{Value(13)}' is not an ISO 3166-1 alpha-2 country code."));
        }

        var phone = ParsePhone(Value(6), Phone, country, line, errors, phones);
        var phone2 = ParsePhone(Value(7), Phone2, country, line, errors, phones);

        var givenZone = Value(14);
        if (givenZone is not null && DateTimeZoneProviders.Tzdb.GetZoneOrNull(givenZone) is null)
        {
            errors.Add(new RowError(line, TimeZone, $"'{givenZone}' is not an IANA time zone."));
        }

        var language = Optional(15, 35);
        if (language is not null && !IsLanguageTag(language))
        {
            errors.Add(new RowError(line, Language, $"'{language}' is not a BCP 47 language tag like en or en-GB."));
        }

        var accountKind = ParseKind<AccountKind>(Value(16), AccountKindColumn, "consumer or commercial", line, errors);
        if (accountKind == AccountKind.Consumer && Compliance.ContactQuestion.NoConsumerPack(country) is { } noPack)
        {
            errors.Add(new RowError(line, Country, noPack));
        }

        var currencyText = Value(17)?.ToUpperInvariant();
        Currency? currency = null;
        if (currencyText is null)
        {
            errors.Add(new RowError(line, Currency, "A value is required."));
        }
        else if (Dunwell.Domain.Amounts.Currency.TryParse(currencyText, out var known))
        {
            currency = known;
        }
        else
        {
            errors.Add(new RowError(line, Currency, $"'{Value(17)}' is not an ISO 4217 currency code."));
        }

        var principal = ParseAmount(Value(18), Principal, currency, line, errors);
        // Accounting systems leave interest and fees empty on an invoice: blank (or no column) is zero.
        var interest = ParseAmount(Value(19) ?? "0", Interest, currency, line, errors);
        var fees = ParseAmount(Value(20) ?? "0", Fees, currency, line, errors);
        var dueDate = ParseDate(Value(21), DueDate, required: true, line, errors);
        var itemizationDate = ParseDate(Value(22), ItemizationDate, required: false, line, errors);
        var originalCreditor = Optional(23, 200);
        var lastPaymentDate = ParseDate(Value(24), LastPaymentDate, required: false, line, errors);
        var dated = ParseDated(line, values, errors);
        if (email is null && Value(5) is null && dated.Any(f => f.Flag is null))
        {
            errors.Add(new RowError(line, EmailConsentAt, "Consent to email needs the address it is for: give it in the email column."));
        }

        // Each amount is within the maximum (MoneyText); so must their sum be, the account's opening balance.
        if (currency is { } c && !errors.Any(e => e.Column is Principal or Interest or Fees)
            && Plausible.AmountProblem(principal + interest + fees, c.Exponent) is { } tooMuch)
        {
            errors.Add(new RowError(line, Principal, $"Principal, interest and fees together {tooMuch}."));
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        // The debtor's zone: as given, else where their first phone number belongs, else the country's usual zone.
        var zone = givenZone ?? phone?.TimeZone ?? phone2?.TimeZone ?? Regions.DefaultZone(country!);
        return (new PlacementRow(
            line, creditorRef, accountRef, debtorRef, debtorKind!.Value, name, email, phone, phone2,
            addressLine1, addressLine2, city, region, postalCode, country!, givenZone, zone, language, accountKind!.Value,
            currency!.Value.Code, new Components(principal, interest, fees), dueDate!.Value, itemizationDate, originalCreditor, lastPaymentDate)
        { Dated = dated }, []);
    }

    /// <summary>The dated consent and opt-out columns that have a value; whether one is in the future is checked with the clock, when applied.</summary>
    private static List<DatedFact> ParseDated(int line, IReadOnlyList<string?> values, List<RowError> errors)
    {
        var dated = new List<DatedFact>();
        for (var d = 0; d < DatedColumns.Count; d++)
        {
            var (column, flag) = DatedColumns[d];
            // Values from before these columns existed may stop short of them.
            var index = GeneratedHeader.Count + d;
            if (index >= values.Count || values[index] is not { } text)
            {
                continue;
            }

            if (Plausible.TryParseInstant(text, out var given, out var problem))
            {
                dated.Add(new DatedFact(column, flag, given.ToInstant()));
            }
            else
            {
                errors.Add(new RowError(line, column, $"'{text}' {problem}."));
            }
        }

        return dated;
    }

    internal static TEnum? ParseKind<TEnum>(string? text, string column, string allowed, int line, List<RowError> errors)
        where TEnum : struct, Enum
    {
        if (text is null)
        {
            errors.Add(new RowError(line, column, "A value is required."));
            return null;
        }

        if (!text.AsSpan().ContainsAnyExcept(AsciiLetters) && Enum.TryParse<TEnum>(text, ignoreCase: true, out var kind))
        {
            return kind;
        }

        errors.Add(new RowError(line, column, $"'{text}' is not one of: {allowed}."));
        return null;
    }

    internal static long ParseAmount(string? text, string column, Currency? currency, int line, List<RowError> errors)
    {
        if (text is null)
        {
            errors.Add(new RowError(line, column, "A value is required."));
            return 0;
        }

        if (currency is not { } known)
        {
            return 0; // the currency error says it all; the digits allowed depend on it
        }

        if (!MoneyText.TryParse(text, known.Exponent, out var minor, out var problem))
        {
            errors.Add(new RowError(line, column, $"Amount {problem}."));
            return 0;
        }

        if (minor < 0)
        {
            errors.Add(new RowError(line, column, $"Amount '{text}' is negative."));
        }

        return minor;
    }

    internal static LocalDate? ParseDate(string? text, string column, bool required, int line, List<RowError> errors)
    {
        if (text is null)
        {
            if (required)
            {
                errors.Add(new RowError(line, column, "A value is required."));
            }

            return null;
        }

        if (TryParseIsoDate(text, out var date))
        {
            if (Plausible.DateProblem(date) is { } problem)
            {
                errors.Add(new RowError(line, column, $"'{text}' {problem}."));
                return null;
            }

            return date;
        }

        errors.Add(new RowError(line, column, $"'{text}' is not a date like 2026-01-31."));
        return null;
    }

    private static string? ParseEmail(string? text, int line, List<RowError> errors)
    {
        if (text is null)
        {
            return null;
        }

        var at = text.IndexOf('@', StringComparison.Ordinal);
        if (at <= 0 || at != text.LastIndexOf('@') || at == text.Length - 1 || text.Length > 320 || HasWhiteSpace(text)
            || !text.AsSpan(at + 1).Contains('.'))
        {
            errors.Add(new RowError(line, Email, $"'{text}' is not an email address."));
            return null;
        }

        return text.ToLowerInvariant();
    }

    private static PhoneContact? ParsePhone(string? text, string column, string? country, int line, List<RowError> errors, PhoneCache? cache)
    {
        if (text is null || country is null)
        {
            return null;
        }

        // A debtor with several accounts repeats the same numbers: check each (country, text) once per run.
        var contact = cache is null ? CheckPhone(text, country) : cache.GetOrAdd(country, text, CheckPhone);
        if (contact is null)
        {
            errors.Add(new RowError(line, column, $"'{text}' is not a valid phone number for {country}."));
        }

        return contact;
    }

    /// <summary>The number in E.164 with its zone, or null when it is not a valid number for <paramref name="country"/>.</summary>
    private static PhoneContact? CheckPhone(string text, string country)
    {
        try
        {
            var number = Phones.Parse(text, country);
            if (Phones.IsValidNumber(number))
            {
                // A number can span zones (a UK mobile: London, Jersey, Guernsey, Isle of Man); the country's usual one wins when it is among them.
                var usual = Regions.DefaultZone(country);
                string? zone = null;
                foreach (var candidate in PhoneZones.GetTimeZonesForNumber(number))
                {
                    if (DateTimeZoneProviders.Tzdb.GetZoneOrNull(candidate) is null)
                    {
                        continue;
                    }

                    if (string.Equals(candidate, usual, StringComparison.Ordinal))
                    {
                        zone = candidate;
                        break;
                    }

                    zone ??= candidate;
                }

                return new PhoneContact(Phones.Format(number, PhoneNumberFormat.E164), zone);
            }
        }
        catch (NumberParseException)
        {
            // reported by the caller, like a number that parses but cannot exist
        }

        return null;
    }

    /// <summary>
    /// yyyy-MM-dd read directly (the common case, without NodaTime's general pattern machinery); anything else goes to
    /// <see cref="LocalDatePattern.Iso"/>, so exactly the same texts are accepted.
    /// </summary>
    internal static bool TryParseIsoDate(string text, out LocalDate date)
    {
        var s = text.AsSpan();
        if (s.Length == 10 && s[4] == '-' && s[7] == '-'
            && Digits(s[..4], out var year) && Digits(s.Slice(5, 2), out var month) && Digits(s.Slice(8, 2), out var day)
            && year >= 1 && month is >= 1 and <= 12 && day >= 1 && day <= CalendarSystem.Iso.GetDaysInMonth(year, month))
        {
            date = new LocalDate(year, month, day);
            return true;
        }

        var result = LocalDatePattern.Iso.Parse(text);
        date = result.Success ? result.Value : default;
        return result.Success;
    }

    private static bool Digits(ReadOnlySpan<char> text, out int value)
    {
        value = 0;
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        return true;
    }

    private static bool HasWhiteSpace(string text)
    {
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsLanguageTag(string text)
    {
        var rest = text.AsSpan();
        var first = true;
        while (true)
        {
            var dash = rest.IndexOf('-');
            var part = dash < 0 ? rest : rest[..dash];
            var fits = first
                ? part.Length is 2 or 3 && !part.ContainsAnyExcept(AsciiLetters)
                : part.Length is >= 1 and <= 8 && !part.ContainsAnyExcept(AsciiLettersAndDigits);
            if (!fits)
            {
                return false;
            }

            if (dash < 0)
            {
                return true;
            }

            rest = rest[(dash + 1)..];
            first = false;
        }
    }
}

/// <summary>
/// Phone results of one import run by (country, text), shared by the parsing threads. Bounded: when full it starts
/// again, which only costs repeated checks.
/// </summary>
internal sealed class PhoneCache
{
    private const int Limit = 65_536;
    private readonly ConcurrentDictionary<(string Country, string Text), PhoneContact?> _results = new();
    private int _added; // ConcurrentDictionary.Count takes every lock; an approximate count is enough for the bound

    public PhoneContact? GetOrAdd(string country, string text, Func<string, string, PhoneContact?> check)
    {
        if (_results.TryGetValue((country, text), out var known))
        {
            return known;
        }

        var result = check(text, country);
        if (Interlocked.Increment(ref _added) > Limit)
        {
            Interlocked.Exchange(ref _added, 0);
            _results.Clear();
        }

        _results[(country, text)] = result;
        return result;
    }
}
