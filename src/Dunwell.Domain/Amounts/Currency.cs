using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;

namespace Dunwell.Domain.Amounts;

/// <summary>An ISO 4217 currency that is in circulation, with the number of minor-unit digits it uses.</summary>
public readonly record struct Currency
{
    // Active ISO 4217 codes and their minor-unit exponents (list maintained by SIX; funds and precious metals left out).
    private static readonly FrozenDictionary<string, int> Exponents = BuildTable();

    // A sign only where it names one currency to the people who read Dunwell: "$" is USD alone (not CAD or AUD), "¥" is
    // JPY. Every other currency is written with its code, which is never ambiguous.
    private static readonly FrozenDictionary<string, string> Symbols = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["USD"] = "$",
        ["GBP"] = "£",
        ["EUR"] = "€",
        ["JPY"] = "¥",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private Currency(string code, int exponent)
    {
        Code = code;
        Exponent = exponent;
    }

    public string Code { get; }

    /// <summary>Digits after the decimal point in major units: 2 for USD, 0 for JPY, 3 for KWD.</summary>
    public int Exponent { get; }

    /// <summary>The sign money in this currency is written with ("£"), or null where the code is written instead.</summary>
    public string? Symbol => Code is not null && Symbols.TryGetValue(Code, out var symbol) ? symbol : null;

    public static Currency Of(string code) =>
        TryParse(code, out var currency) ? currency : throw new ArgumentException($"'{code}' is not an ISO 4217 currency code in circulation.", nameof(code));

    public static bool TryParse(string? code, [NotNullWhen(true)] out Currency currency)
    {
        if (code is not null && Exponents.TryGetValue(code, out var exponent))
        {
            currency = new Currency(code, exponent);
            return true;
        }

        currency = default;
        return false;
    }

    public static bool IsKnown(string? code) => code is not null && Exponents.ContainsKey(code);

    public override string ToString() => Code ?? "";

    private static FrozenDictionary<string, int> BuildTable()
    {
        const string twoDigits =
            "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BRL BSD BTN BWP BYN BZD CAD CDF CHF CNY COP CRC CUP CVE CZK " +
            "DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK " +
            "LBP LKR LRD LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR RON " +
            "RSD RUB SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TOP TRY TTD TWD TZS UAH USD UYU UZS VES WST XCD " +
            "XCG YER ZAR ZMW ZWG";
        const string zeroDigits = "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX VND VUV XAF XOF XPF";
        const string threeDigits = "BHD IQD JOD KWD LYD OMR TND";

        var table = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (codes, exponent) in new[] { (twoDigits, 2), (zeroDigits, 0), (threeDigits, 3) })
        {
            foreach (var code in codes.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                table[code] = exponent;
            }
        }

        return table.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
