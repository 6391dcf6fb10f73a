using System.Globalization;
using NodaTime;
using NodaTime.Text;

namespace Dunwell.Features.Templates;

/// <summary>
/// The languages the default set is written in and how each writes dates and money. English dates follow the
/// creditor's side of the Atlantic ("March 15, 2026" for a US creditor, "15 March 2026" otherwise).
/// </summary>
public static class TemplateLanguage
{
    public const string English = "en";

    /// <summary>Every language the default set has, in the order pages list them.</summary>
    public static IReadOnlyList<string> Supported { get; } = ["en", "es", "de"];

    /// <summary>"es-US" → "es"; null, empty or a language without templates → null.</summary>
    public static string? Normalise(string? tag)
    {
        if (string.IsNullOrWhiteSpace(tag))
        {
            return null;
        }

        var primary = tag.Trim().Split('-', '_')[0].ToLowerInvariant();
        return primary.Length is >= 2 and <= 3 && primary.All(char.IsAsciiLetterLower) ? primary : null;
    }

    public static CultureInfo Culture(string language, bool us) => language switch
    {
        "es" => CultureInfo.GetCultureInfo(us ? "es-US" : "es-ES"),
        "de" => CultureInfo.GetCultureInfo("de-DE"),
        _ => CultureInfo.GetCultureInfo(us ? "en-US" : "en-GB"),
    };

    public static string Date(LocalDate date, string language, bool us)
    {
        var pattern = language switch
        {
            "es" => "d 'de' MMMM 'de' uuuu",
            "de" => "d. MMMM uuuu",
            _ => us ? "MMMM d, uuuu" : "d MMMM uuuu",
        };
        return LocalDatePattern.Create(pattern, Culture(language, us)).Format(date);
    }
}
