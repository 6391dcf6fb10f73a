using System.Collections.Concurrent;
using Dunwell.Domain.Accounts;
using NodaTime;
using NodaTime.TimeZones;
using PhoneNumbers;

namespace Dunwell.Domain.Compliance;

/// <summary>
/// The time zones a debtor may be in. When the debtor has said where they are, that zone alone. Otherwise every zone
/// that the information on file points to: each phone (its given zone, or the zones libphonenumber maps its number
/// to), each address (its stated zone, or its country and US state), because a contact must suit every place the
/// debtor might be (Regulation F comment 6(b)(1)(i)-1). A country alone is no location in a country of several zones:
/// it would put the debtor "somewhere in every zone" and swamp what the phone numbers say.
/// </summary>
public static class DebtorLocation
{
    private static readonly PhoneNumberUtil Phones = PhoneNumberUtil.GetInstance();
    private static readonly PhoneNumberToTimeZonesMapper PhoneZones = PhoneNumberToTimeZonesMapper.GetInstance();
    private static readonly ConcurrentDictionary<string, IReadOnlyList<string>> PhoneCache = new(StringComparer.Ordinal);

    // Numbers that say nothing about where someone is: toll-free, premium, VoIP, personal numbers and the like.
    private static readonly HashSet<PhoneNumberType> GeographicTypes =
        [PhoneNumberType.FIXED_LINE, PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE];

    /// <summary>
    /// The IANA zones of a phone number in E.164 form, as libphonenumber maps them: one zone for most numbers, several
    /// for an area code that spans zones, none for a number that is not geographic or not valid.
    /// </summary>
    public static IReadOnlyList<string> ZonesOfPhone(string e164) =>
        PhoneCache.Count < MaxCached ? PhoneCache.GetOrAdd(e164, Lookup) : PhoneCache.TryGetValue(e164, out var zones) ? zones : Lookup(e164);

    // Parsing is the slow part of a decision; the cache is bounded so a long-running host cannot grow it without limit.
    private const int MaxCached = 100_000;

    private static IReadOnlyList<string> Lookup(string e164)
    {
        PhoneNumber number;
        try
        {
            number = Phones.Parse(e164, "ZZ");
        }
        catch (NumberParseException)
        {
            return [];
        }

        if (!Phones.IsValidNumber(number) || !GeographicTypes.Contains(Phones.GetNumberType(number)))
        {
            return [];
        }

        var unknown = PhoneZones.GetUnknownTimeZone();
        return [.. PhoneZones.GetTimeZonesForNumber(number).Where(z => z != unknown && DateTimeZoneProviders.Tzdb.GetZoneOrNull(z) is not null)];
    }

    /// <summary>
    /// The IANA zones of a postal address: its stated zone; else the zones of its US state (every zone any part of the
    /// state observes: Dunwell has no postal-code boundary data to narrow a state that spans zones); else every zone of
    /// its country in the time zone database.
    /// </summary>
    public static IReadOnlyList<string> ZonesOfAddress(PostalAddress address)
    {
        if (address.TimeZone is { } given)
        {
            return [given];
        }

        var country = address.Country.Trim().ToUpperInvariant();
        if (country == "US" && address.Region is { } region && UsStates.TryGetValue(region.Trim().ToUpperInvariant(), out var stateZones))
        {
            return stateZones;
        }

        if (UsTerritories.TryGetValue(country, out var territory))
        {
            return [territory];
        }

        return [.. (TzdbDateTimeZoneSource.Default.ZoneLocations ?? [])
            .Where(l => string.Equals(l.CountryCode, country, StringComparison.Ordinal))
            .Select(l => l.ZoneId)];
    }

    /// <summary>
    /// The zones the time rules must respect for this debtor, any zone ids on file that are not IANA zones, and notes
    /// on what the file did not say. <paramref name="whenUnknown"/> applies when nothing on file says where the debtor is.
    /// </summary>
    internal static (IReadOnlyList<DateTimeZone> Zones, IReadOnlyList<string> Unrecognised, IReadOnlyList<string> Notes) Resolve(
        DebtorFacts debtor, IEnumerable<string> whenUnknown)
    {
        var unrecognised = new List<string>();
        var notes = new List<string>();
        if (debtor.LocationTimeZone is { } stated && DateTimeZoneProviders.Tzdb.GetZoneOrNull(stated) is { } statedZone)
        {
            return ([statedZone], unrecognised, notes);
        }

        var ids = new List<string>();
        if (debtor.LocationTimeZone is { } badStated)
        {
            unrecognised.Add(badStated);
        }

        foreach (var contact in debtor.Contacts)
        {
            if (contact.TimeZone is { } given)
            {
                ids.Add(given);
            }
            else if (contact.Kind == ContactKind.Phone)
            {
                ids.AddRange(ZonesOfPhone(contact.Value));
            }
        }

        if (debtor.Address is { } address)
        {
            var addressZones = ZonesOfAddress(address);
            if (address.IsCountryAlone && addressZones.Count > 1)
            {
                var country = address.Country.Trim().ToUpperInvariant();
                notes.Add(ids.Count > 0
                    ? $"The address gives only its country ({country}), which spans several time zones, so it says nothing about where the debtor is; the phone numbers' zones decide."
                    : $"The address gives only its country ({country}), which spans several time zones, and nothing else on file says where the debtor is, so every zone the rules assume for an unknown location applies.");
            }
            else
            {
                ids.AddRange(addressZones);
            }
        }

        if (ids.Count == 0)
        {
            ids.AddRange(whenUnknown);
        }

        var zones = new List<DateTimeZone>();
        foreach (var id in ids.Distinct(StringComparer.Ordinal))
        {
            if (DateTimeZoneProviders.Tzdb.GetZoneOrNull(id) is { } zone)
            {
                zones.Add(zone);
            }
            else
            {
                unrecognised.Add(id);
            }
        }

        if (zones.Count == 0)
        {
            zones.AddRange(whenUnknown.Select(DateTimeZoneProviders.Tzdb.GetZoneOrNull).OfType<DateTimeZone>());
        }

        return (zones.Count == 0 ? [DateTimeZone.Utc] : zones, unrecognised, notes);
    }

    private static readonly Dictionary<string, string> UsTerritories = new(StringComparer.Ordinal)
    {
        ["PR"] = "America/Puerto_Rico",
        ["VI"] = "America/St_Thomas",
        ["GU"] = "Pacific/Guam",
        ["MP"] = "Pacific/Saipan",
        ["AS"] = "Pacific/Pago_Pago",
    };

    private const string Eastern = "America/New_York";
    private const string Central = "America/Chicago";
    private const string Mountain = "America/Denver";
    private const string Pacific = "America/Los_Angeles";

    // Every zone observed in some part of each state (official boundaries; Navajo Nation keeps DST in Arizona).
    // A state that spans zones gives them all: the contact must then suit each.
    private static readonly Dictionary<string, IReadOnlyList<string>> UsStates = new(StringComparer.Ordinal)
    {
        ["AL"] = [Central],
        ["AK"] = ["America/Anchorage", "America/Juneau", "America/Sitka", "America/Metlakatla", "America/Yakutat", "America/Nome", "America/Adak"],
        ["AZ"] = ["America/Phoenix", Mountain],
        ["AR"] = [Central],
        ["CA"] = [Pacific],
        ["CO"] = [Mountain],
        ["CT"] = [Eastern],
        ["DE"] = [Eastern],
        ["DC"] = [Eastern],
        ["FL"] = [Eastern, Central],
        ["GA"] = [Eastern],
        ["HI"] = ["Pacific/Honolulu"],
        ["ID"] = ["America/Boise", Pacific],
        ["IL"] = [Central],
        ["IN"] = ["America/Indiana/Indianapolis", Central],
        ["IA"] = [Central],
        ["KS"] = [Central, Mountain],
        ["KY"] = ["America/Kentucky/Louisville", Central],
        ["LA"] = [Central],
        ["ME"] = [Eastern],
        ["MD"] = [Eastern],
        ["MA"] = [Eastern],
        ["MI"] = ["America/Detroit", "America/Menominee"],
        ["MN"] = [Central],
        ["MS"] = [Central],
        ["MO"] = [Central],
        ["MT"] = [Mountain],
        ["NE"] = [Central, Mountain],
        ["NV"] = [Pacific, Mountain],
        ["NH"] = [Eastern],
        ["NJ"] = [Eastern],
        ["NM"] = [Mountain],
        ["NY"] = [Eastern],
        ["NC"] = [Eastern],
        ["ND"] = [Central, Mountain],
        ["OH"] = [Eastern],
        ["OK"] = [Central],
        ["OR"] = [Pacific, "America/Boise"],
        ["PA"] = [Eastern],
        ["RI"] = [Eastern],
        ["SC"] = [Eastern],
        ["SD"] = [Central, Mountain],
        ["TN"] = [Eastern, Central],
        ["TX"] = [Central, Mountain],
        ["UT"] = [Mountain],
        ["VT"] = [Eastern],
        ["VA"] = [Eastern],
        ["WA"] = [Pacific],
        ["WV"] = [Eastern],
        ["WI"] = [Central],
        ["WY"] = [Mountain],
        ["PR"] = ["America/Puerto_Rico"],
        ["VI"] = ["America/St_Thomas"],
        ["GU"] = ["Pacific/Guam"],
    };
}
