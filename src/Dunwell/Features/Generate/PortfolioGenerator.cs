using System.Globalization;
using System.Text;
using Dunwell.Domain.Amounts;
using Dunwell.Features.Imports;
using NodaTime;
using NodaTime.Text;
using PhoneNumbers;

namespace Dunwell.Features.Generate;

/// <summary>
/// A realistic synthetic portfolio for tests, demos and benchmarks: people and companies in seven countries with
/// their zones, currencies and valid phone numbers, consumer and commercial accounts, varied balances, due dates over
/// the two years before <c>asOf</c>, and debtors with several accounts. The same seed writes the same bytes.
/// Names and addresses are made up; emails use the reserved example domains.
/// </summary>
public static class PortfolioGenerator
{
    private sealed record Country(
        string Code, string Currency, string Language, string Domain, string[] Cities, string[] Regions, string[] Zones,
        string CompanySuffix, Func<Random, string>? Phone, Func<Random, string> PostalCode);

    private static readonly string[] FirstNames =
    [
        "Olivia", "Liam", "Emma", "Noah", "Amelia", "Oliver", "Ava", "Elijah", "Sophia", "James", "Isabella", "William", "Mia", "Lucas",
        "Charlotte", "Henry", "Aoife", "Sean", "Niamh", "Conor", "Lena", "Jonas", "Mia", "Felix", "Chloé", "Louis", "Camille", "Hugo",
        "Grace", "Jack", "Harper", "Leo", "Zoe", "Ethan", "Maya", "Daniel", "Priya", "Arjun", "Mei", "Wei", "Fatima", "Omar",
    ];

    private static readonly string[] LastNames =
    [
        "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Wilson", "Taylor", "Clarke", "Walsh", "Murphy",
        "O'Brien", "Kelly", "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Martin", "Bernard", "Dubois", "Thomas", "Robert",
        "Nguyen", "Patel", "Singh", "Campbell", "Stewart", "Roy", "Tremblay", "Lee", "Chen", "Anderson", "Thompson", "White", "Harris",
    ];

    private static readonly string[] Streets = ["High", "Main", "Church", "Station", "Park", "Oak", "Maple", "Mill", "Bridge", "King", "Queen", "Elm"];

    private static readonly string[] CompanyWords = ["Logistics", "Builders", "Catering", "Print", "Dental", "Motors", "Design", "Farms", "Electrical", "Timber"];

    private static readonly string[] Methods = ["card", "bank_transfer", "direct_debit", "cheque"];

    private static readonly PhoneNumberUtil Phones = PhoneNumberUtil.GetInstance();

    private static readonly Country[] Countries =
    [
        new("US", "USD", "en-US", "example.com", ["New York", "Chicago", "Houston", "Phoenix", "Seattle", "Miami", "Denver", "Atlanta"],
            ["NY", "IL", "TX", "AZ", "WA", "FL", "CO", "GA"], [], "Inc.", NanpPhone(["212", "312", "713", "602", "206", "305", "303", "404", "415", "617"]),
            r => r.Next(10000, 99999).ToString("D5", CultureInfo.InvariantCulture)),
        new("GB", "GBP", "en-GB", "example.co.uk", ["London", "Manchester", "Leeds", "Bristol", "Glasgow", "Cardiff"], ["England", "Scotland", "Wales"], [],
            "Ltd", UkMobile, r => string.Create(CultureInfo.InvariantCulture, $"{(char)('A' + r.Next(0, 26))}{(char)('A' + r.Next(0, 26))}{r.Next(1, 20)} {r.Next(1, 9)}{(char)('A' + r.Next(0, 26))}{(char)('A' + r.Next(0, 26))}")),
        new("IE", "EUR", "en-IE", "example.ie", ["Dublin", "Cork", "Galway", "Limerick"], ["Leinster", "Munster", "Connacht"], ["Europe/Dublin"], "Ltd", null,
            r => string.Create(CultureInfo.InvariantCulture, $"D{r.Next(1, 24):D2} X{r.Next(100, 999)}")),
        new("DE", "EUR", "de-DE", "example.de", ["Berlin", "Hamburg", "München", "Köln", "Frankfurt"], ["Berlin", "Hamburg", "Bayern", "NRW", "Hessen"],
            ["Europe/Berlin"], "GmbH", null, r => r.Next(10000, 99999).ToString("D5", CultureInfo.InvariantCulture)),
        new("FR", "EUR", "fr-FR", "example.fr", ["Paris", "Lyon", "Marseille", "Toulouse", "Nantes"], ["Île-de-France", "Auvergne-Rhône-Alpes", "Occitanie"],
            ["Europe/Paris"], "SARL", null, r => r.Next(10000, 95999).ToString("D5", CultureInfo.InvariantCulture)),
        new("CA", "CAD", "en-CA", "example.ca", ["Toronto", "Vancouver", "Montréal", "Calgary", "Ottawa"], ["ON", "BC", "QC", "AB"], [], "Inc.",
            NanpPhone(["416", "604", "514", "403", "613"]),
            r => string.Create(CultureInfo.InvariantCulture, $"K{r.Next(0, 9)}{(char)('A' + r.Next(0, 26))} {r.Next(0, 9)}{(char)('A' + r.Next(0, 26))}{r.Next(0, 9)}")),
        new("AU", "AUD", "en-AU", "example.com.au", ["Sydney", "Melbourne", "Brisbane", "Perth", "Adelaide"], ["NSW", "VIC", "QLD", "WA", "SA"],
            ["Australia/Sydney", "Australia/Melbourne", "Australia/Brisbane", "Australia/Perth", "Australia/Adelaide"], "Pty Ltd", null,
            r => r.Next(2000, 6999).ToString("D4", CultureInfo.InvariantCulture)),
    ];

    // Weighted towards the US and UK, as a typical portfolio is.
    private static readonly int[] CountryWeights = [40, 25, 7, 8, 8, 7, 5];

    private sealed record DebtorData(string Ref, Country Country, bool Company, string Name, string? Email, string? Phone, string? Phone2,
        string Address1, string? Address2, string City, string Region, string PostalCode, string? Zone);

    /// <summary>Writes <paramref name="accounts"/> placement rows, and a matching payment file when <paramref name="payments"/> is given.</summary>
    public static void Write(TextWriter placements, TextWriter? payments, int accounts, int seed, LocalDate asOf)
    {
        ArgumentNullException.ThrowIfNull(placements);
        ArgumentOutOfRangeException.ThrowIfNegative(accounts);

        var random = new Random(seed);
        var recent = new DebtorData?[512];
        var debtorCount = 0;
        var paymentCount = 0;
        var line = new StringBuilder(512);

        placements.Write(string.Join(',', PlacementCsv.GeneratedHeader));
        placements.Write("\r\n");
        payments?.Write(string.Join(',', PaymentCsv.Header) + "\r\n");

        for (var i = 1; i <= accounts; i++)
        {
            // About one account in five belongs to a debtor who already has one.
            var slot = random.Next(recent.Length);
            var debtor = random.Next(5) == 0 && recent[slot] is { } earlier ? earlier : null;
            if (debtor is null)
            {
                debtor = NewDebtor(random, ++debtorCount);
                recent[slot] = debtor;
            }

            var country = debtor.Country;
            // Consumer debts only where a consumer rule pack exists (US, GB); elsewhere every debt is a business one.
            var commercial = (debtor.Company && random.Next(10) < 9) || country.Code is not ("US" or "GB");
            var creditor = string.Create(CultureInfo.InvariantCulture, $"{country.Code}-{(commercial ? "B2B" : "CONS")}-{random.Next(1, 4)}");
            var principal = Principal(random, commercial);
            var interest = random.Next(3) == 0 ? 0 : principal * random.Next(0, 16) / 100;
            var fees = random.Next(4) switch { 0 => 2500L, 1 => 4000L, _ => 0L };
            var due = asOf.PlusDays(-random.Next(1, 731));
            LocalDate? itemization = !commercial && country.Code == "US" ? Min(due.PlusDays(random.Next(0, 45)), asOf) : null;
            LocalDate? lastPayment = random.Next(4) == 0 ? Min(due.PlusDays(random.Next(1, 200)), asOf) : null;
            string? originalCreditor = !commercial && random.Next(3) == 0 ? $"{LastNames[random.Next(LastNames.Length)]} Bank" : null;
            var exponent = Currency.Of(country.Currency).Exponent;

            line.Clear();
            Field(line, creditor).Append(',');
            Field(line, string.Create(CultureInfo.InvariantCulture, $"A{i:D9}")).Append(',');
            Field(line, debtor.Ref).Append(',');
            Field(line, debtor.Company ? "company" : "person").Append(',');
            Field(line, debtor.Name).Append(',');
            Field(line, debtor.Email).Append(',');
            Field(line, debtor.Phone).Append(',');
            Field(line, debtor.Phone2).Append(',');
            Field(line, debtor.Address1).Append(',');
            Field(line, debtor.Address2).Append(',');
            Field(line, debtor.City).Append(',');
            Field(line, debtor.Region).Append(',');
            Field(line, debtor.PostalCode).Append(',');
            Field(line, country.Code).Append(',');
            Field(line, debtor.Zone).Append(',');
            Field(line, country.Language).Append(',');
            Field(line, commercial ? "commercial" : "consumer").Append(',');
            Field(line, country.Currency).Append(',');
            Field(line, MoneyText.Format(principal, exponent)).Append(',');
            Field(line, MoneyText.Format(interest, exponent)).Append(',');
            Field(line, MoneyText.Format(fees, exponent)).Append(',');
            Field(line, LocalDatePattern.Iso.Format(due)).Append(',');
            Field(line, itemization is { } d1 ? LocalDatePattern.Iso.Format(d1) : null).Append(',');
            Field(line, originalCreditor).Append(',');
            Field(line, lastPayment is { } d2 ? LocalDatePattern.Iso.Format(d2) : null).Append("\r\n");
            placements.Write(line);

            if (payments is not null && random.Next(10) < 3)
            {
                var total = principal + interest + fees;
                var amount = Math.Max(1, total * random.Next(5, 101) / 100);
                var paidOn = Min(due.PlusDays(random.Next(1, 120)), asOf);
                line.Clear();
                line.Append(string.Create(CultureInfo.InvariantCulture, $"A{i:D9},{MoneyText.Format(amount, exponent)},{country.Currency},"));
                line.Append(LocalDatePattern.Iso.Format(paidOn)).Append(string.Create(CultureInfo.InvariantCulture, $"T{random.Next(8, 20):D2}:{random.Next(0, 60):D2}:00Z,"));
                line.Append(Methods[random.Next(Methods.Length)]).Append(string.Create(CultureInfo.InvariantCulture, $",PAY{++paymentCount:D9}\r\n"));
                payments.Write(line);
            }
        }
    }

    private static DebtorData NewDebtor(Random random, int number)
    {
        var country = Pick(random);
        var company = random.Next(4) == 0;
        var first = FirstNames[random.Next(FirstNames.Length)];
        var last = LastNames[random.Next(LastNames.Length)];
        var name = company
            ? random.Next(6) == 0
                ? $"{last}, {LastNames[random.Next(LastNames.Length)]} & Co {country.CompanySuffix}" // a comma: the file must quote it
                : $"{last} {CompanyWords[random.Next(CompanyWords.Length)]} {country.CompanySuffix}"
            : $"{first} {last}";
        var local = company ? "accounts" : $"{Ascii(first)}.{Ascii(last)}";
        var email = random.Next(10) < 8 ? string.Create(CultureInfo.InvariantCulture, $"{local}{number}@{country.Domain}").ToLowerInvariant() : null;
        var phone = country.Phone?.Invoke(random);
        var phone2 = country.Phone is { } second && random.Next(5) == 0 ? second(random) : null;
        var city = random.Next(country.Cities.Length);
        return new DebtorData(
            string.Create(CultureInfo.InvariantCulture, $"D{number:D8}"),
            country,
            company,
            name,
            email,
            phone,
            phone2,
            string.Create(CultureInfo.InvariantCulture, $"{random.Next(1, 400)} {Streets[random.Next(Streets.Length)]} Street"),
            random.Next(8) == 0 ? string.Create(CultureInfo.InvariantCulture, $"Flat {random.Next(1, 40)}") : null,
            country.Cities[city],
            country.Regions[city % country.Regions.Length],
            country.PostalCode(random),
            country.Zones.Length == 0 ? null : country.Zones[random.Next(country.Zones.Length)]);
    }

    private static Country Pick(Random random)
    {
        var roll = random.Next(100);
        for (var i = 0; i < CountryWeights.Length; i++)
        {
            roll -= CountryWeights[i];
            if (roll < 0)
            {
                return Countries[i];
            }
        }

        return Countries[0];
    }

    /// <summary>Minor units: mostly tens to a few thousand; commercial invoices larger.</summary>
    private static long Principal(Random random, bool commercial)
    {
        var magnitude = random.Next(commercial ? 3 : 2, commercial ? 7 : 6); // 10^2..10^6 minor units
        var scale = (long)Math.Pow(10, magnitude);
        return scale + random.NextInt64(0, scale * 9);
    }

    // North American numbers: a real area code, an exchange that is not N11 and not 555, any line number; checked like an import would.
    private static Func<Random, string> NanpPhone(string[] areaCodes) => random =>
    {
        while (true)
        {
            var exchange = random.Next(200, 1000);
            var number = string.Create(CultureInfo.InvariantCulture, $"({areaCodes[random.Next(areaCodes.Length)]}) {exchange}-{random.Next(0, 10000):D4}");
            if (exchange % 100 != 11 && exchange != 555 && IsValid(number, "US"))
            {
                return number;
            }
        }
    };

    // UK mobiles (07xxx xxxxxx); libphonenumber knows which blocks are allocated, so draw until one is.
    private static string UkMobile(Random random)
    {
        while (true)
        {
            var number = string.Create(CultureInfo.InvariantCulture, $"07{random.Next(400, 1000)} {random.Next(0, 1000000):D6}");
            if (IsValid(number, "GB"))
            {
                return number;
            }
        }
    }

    private static bool IsValid(string number, string region)
    {
        try
        {
            return Phones.IsValidNumber(Phones.Parse(number, region));
        }
        catch (NumberParseException)
        {
            return false;
        }
    }

    private static LocalDate Min(LocalDate a, LocalDate b) => a < b ? a : b;

    private static string Ascii(string name)
    {
        var normalized = name.Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(normalized.Length);
        foreach (var c in normalized)
        {
            if (char.IsAsciiLetter(c))
            {
                builder.Append(char.ToLowerInvariant(c));
            }
        }

        return builder.ToString();
    }

    /// <summary>RFC 4180: quote a field with a comma, quote or line break, doubling its quotes.</summary>
    private static StringBuilder Field(StringBuilder line, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return line;
        }

        if (value.AsSpan().IndexOfAny(",\"\r\n") < 0)
        {
            return line.Append(value);
        }

        return line.Append('"').Append(value.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
    }
}
