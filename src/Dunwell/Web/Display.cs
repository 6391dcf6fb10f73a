using System.Globalization;
using Dunwell.Domain.Amounts;
using Microsoft.AspNetCore.Localization;
using NodaTime;
using NodaTime.Text;

namespace Dunwell.Web;

/// <summary>
/// How every page writes money, instants and people, so no page says the same thing another way: "£1,144.99" (never
/// "1144.99 GBP" beside it), "Tue 3 Mar 2026, 09:15 EST", "Sam Carter" (never "user:agent@demo.test").
/// </summary>
/// <remarks>
/// Money takes the currency's own symbol and digits, and the grouping and symbol placement of the viewer's locale (the
/// request's UI culture, from the browser's Accept-Language: "£1,144.99" in en-GB, "1.144,99 £" in de-DE). Instants
/// are local time with the zone's abbreviation; which zone is the caller's decision, and the pages decide it one way:
/// the debtor's zone where the time is about the debtor (when they may be contacted, their time now), the creditor's
/// zone for the account's own record (the team's working day), and UTC on admin pages. docs/guide.md says so.
/// </remarks>
public static class Display
{
    private static readonly LocalDateTimePattern WhenPattern = LocalDateTimePattern.Create("ddd d MMM yyyy, HH:mm", CultureInfo.InvariantCulture);

    /// <summary>The locales money is written in; a browser asking for another gets its parent or en-US.</summary>
    public static IReadOnlyList<string> Locales { get; } = ["en-US", "en-GB", "en-IE", "es-US", "cy-GB", "de-DE", "fr-FR", "nl-NL"];

    /// <summary>
    /// The viewer's locale from Accept-Language sets only the UI culture, which <see cref="Money(long, string)"/> reads;
    /// the culture stays invariant, so nothing else a page or the API formats changes with the browser.
    /// </summary>
    public static void ConfigureLocales(RequestLocalizationOptions options)
    {
        options.SupportedCultures = [CultureInfo.InvariantCulture];
        options.SupportedUICultures = [.. Locales.Select(CultureInfo.GetCultureInfo)];
        options.DefaultRequestCulture = new RequestCulture(CultureInfo.InvariantCulture, CultureInfo.GetCultureInfo("en-US"));
        options.RequestCultureProviders = [new AcceptLanguageHeaderRequestCultureProvider()];
    }

    /// <summary>Minor units in the viewer's locale with the currency's symbol and digits: $1,234.56, £0.50, ¥1,500, 12.345 KWD.</summary>
    public static string Money(long minor, string currency) => MoneyIn(minor, currency, CultureInfo.CurrentUICulture);

    /// <summary>As <see cref="Money(long, string)"/>, in a locale given rather than the viewer's (<see cref="MoneyText.Written(long, string, CultureInfo?)"/>).</summary>
    public static string MoneyIn(long minor, string currency, CultureInfo culture) => MoneyText.Written(minor, currency, culture);

    /// <summary>An instant as local time in <paramref name="zone"/> with the zone's abbreviation: "Tue 3 Mar 2026, 09:15 EST".</summary>
    public static string When(Instant instant, DateTimeZone zone)
    {
        var local = instant.InZone(zone);
        return $"{WhenPattern.Format(local.LocalDateTime)} {local.GetZoneInterval().Name}";
    }

    /// <summary>Who did something, as people know them: a user's name (<see cref="ActorNames"/>), or what a system actor is.</summary>
    public static string Person(HttpContext context, string actor) => context.RequestServices.GetRequiredService<ActorNames>().Of(actor);
}
