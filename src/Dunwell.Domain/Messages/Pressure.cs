using System.Text.RegularExpressions;

namespace Dunwell.Domain.Messages;

/// <summary>Shouting: words in capitals and stacked exclamation marks (warn: they pressure without saying anything).</summary>
internal static partial class Pressure
{
    /// <summary>Fewer capital letters than this in a row is an acronym or a name, not shouting.</summary>
    private const int MinShoutingLetters = 6;

    public static IEnumerable<LintFinding> Findings(string text, LanguageRules rules)
    {
        foreach (Match m in Stacked().Matches(text))
        {
            yield return new LintFinding(LintSeverity.Warn, RuleIds.PressureExclamations, m.Index, m.Length,
                "Stacked exclamation marks read as shouting.", m.Value.Contains('?', StringComparison.Ordinal) ? "?" : ".");
        }

        int? runStart = null;
        int runEnd = 0, letters = 0;
        foreach (Match word in Word().Matches(text))
        {
            var shouting = word.Length >= 2 && word.Value.All(char.IsUpper) && !rules.CapitalsAllowed.Contains(word.Value);
            var joined = runStart is not null && !HasLetter(text.AsSpan(runEnd, word.Index - runEnd));
            if (shouting && (runStart is null || joined))
            {
                runStart ??= word.Index;
                runEnd = word.Index + word.Length;
                letters += word.Length;
                continue;
            }

            if (Shouted(runStart, runEnd, letters) is { } finding)
            {
                yield return finding;
            }

            runStart = shouting ? word.Index : null;
            runEnd = shouting ? word.Index + word.Length : 0;
            letters = shouting ? word.Length : 0;
        }

        if (Shouted(runStart, runEnd, letters) is { } last)
        {
            yield return last;
        }

        LintFinding? Shouted(int? start, int end, int count) => start is { } s && count >= MinShoutingLetters
            ? new LintFinding(LintSeverity.Warn, RuleIds.PressureCapitals, s, end - s,
                "Written in capitals, which reads as shouting.", CultureAware(text[s..end]))
            : null;
    }

    private static string CultureAware(string shouted) =>
        shouted.Length == 0 ? shouted : shouted[0] + shouted[1..].ToLowerInvariant();

    private static bool HasLetter(ReadOnlySpan<char> span)
    {
        foreach (var c in span)
        {
            if (char.IsLetter(c))
            {
                return true;
            }
        }

        return false;
    }

    [GeneratedRegex(@"(?:[!¡]\s*){2,}|\?!|!\?")]
    private static partial Regex Stacked();

    [GeneratedRegex(@"\p{L}+")]
    private static partial Regex Word();
}
