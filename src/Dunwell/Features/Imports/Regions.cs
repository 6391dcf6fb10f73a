using System.Collections.Frozen;
using NodaTime;
using NodaTime.TimeZones;

namespace Dunwell.Features.Imports;

/// <summary>ISO 3166-1 alpha-2 country codes and a sensible default time zone for each.</summary>
public static class Regions
{
    // The officially assigned ISO 3166-1 alpha-2 codes (249). .NET has no complete list (RegionInfo depends on ICU data).
    private const string Assigned =
        "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ " +
        "CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR " +
        "GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP " +
        "KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT " +
        "MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW " +
        "SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG " +
        "UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW";

    public static FrozenSet<string> Countries { get; } = Assigned.Split(' ').ToFrozenSet(StringComparer.Ordinal);

    // Where most of a country's people are, for countries that span several zones; the rest take tzdb's first zone.
    private static readonly FrozenDictionary<string, string> Preferred = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["US"] = "America/New_York",
        ["CA"] = "America/Toronto",
        ["AU"] = "Australia/Sydney",
        ["BR"] = "America/Sao_Paulo",
        ["RU"] = "Europe/Moscow",
        ["MX"] = "America/Mexico_City",
        ["ES"] = "Europe/Madrid",
        ["PT"] = "Europe/Lisbon",
        ["DE"] = "Europe/Berlin",
        ["NZ"] = "Pacific/Auckland",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, string> Defaults = BuildDefaults();

    public static bool IsCountry(string? code) => code is not null && Countries.Contains(code);

    /// <summary>The zone to assume for someone in <paramref name="country"/> when nothing more precise is known; UTC if none.</summary>
    public static string DefaultZone(string country) => Defaults.GetValueOrDefault(country, "Etc/UTC");

    private static FrozenDictionary<string, string> BuildDefaults()
    {
        var defaults = new Dictionary<string, string>(Preferred, StringComparer.Ordinal);
        foreach (var location in TzdbDateTimeZoneSource.Default.ZoneLocations ?? [])
        {
            defaults.TryAdd(location.CountryCode, location.ZoneId);
        }

        return defaults.Where(d => DateTimeZoneProviders.Tzdb.GetZoneOrNull(d.Value) is not null).ToFrozenDictionary(StringComparer.Ordinal);
    }
}
