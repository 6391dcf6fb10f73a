namespace Dunwell.Domain.Messages;

/// <summary>How long a sentence may be and how hard a text may read on a channel.</summary>
public sealed record ReadingTarget(int MaxSentenceWords, double MaxGrade);

/// <summary>
/// Readability: sentences, words and syllables counted from the text, and a school grade from the language's own formula
/// (Flesch–Kincaid for English, Crawford for Spanish, the first Wiener Sachtextformel for German).
/// </summary>
public static class Readability
{
    /// <summary>Below this many words a grade says little; only sentence length is checked.</summary>
    public const int MinWordsForGrade = 40;

    public static ReadingTarget TargetFor(LintChannel channel) => channel switch
    {
        LintChannel.Sms => new(20, 8),
        LintChannel.Call or LintChannel.Voicemail => new(20, 8),
        LintChannel.Letter => new(25, 10),
        _ => new(25, 9),
    };

    /// <summary>A sentence: where it starts and how many words it has.</summary>
    public readonly record struct Sentence(int Start, int Length, int Words);

    public static IReadOnlyList<Sentence> Sentences(string text)
    {
        var sentences = new List<Sentence>();
        var start = 0;
        var words = 0;
        var inWord = false;
        for (var i = 0; i <= text.Length; i++)
        {
            var c = i < text.Length ? text[i] : '\n';
            var letter = char.IsLetterOrDigit(c) || (inWord && c is '\'' or '’' or '-');
            if (letter && !inWord)
            {
                words++;
            }

            inWord = letter;
            var ends = c is '.' or '!' or '?' or '\n' && (i + 1 >= text.Length || char.IsWhiteSpace(text[i + 1]) || c == '\n');
            if (ends)
            {
                if (words > 0)
                {
                    var from = Skip(text, start);
                    sentences.Add(new Sentence(from, Math.Min(i + 1, text.Length) - from, words));
                }

                start = i + 1;
                words = 0;
            }
        }

        return sentences;
    }

    public static TextCounts Count(string text)
    {
        var sentences = Sentences(text).Count;
        int words = 0, syllables = 0, longWords = 0, poly = 0, mono = 0;
        foreach (var word in Words(text))
        {
            words++;
            var s = Syllables(word);
            syllables += s;
            longWords += word.Length > 6 ? 1 : 0;
            poly += s >= 3 ? 1 : 0;
            mono += s == 1 ? 1 : 0;
        }

        return new TextCounts(Math.Max(sentences, 1), words, syllables, longWords, poly, mono);
    }

    public static double FleschKincaid(TextCounts c) =>
        (0.39 * c.Words / c.Sentences) + (11.8 * c.Syllables / c.Words) - 15.59;

    /// <summary>Crawford's grade level for Spanish: sentences and syllables per hundred words.</summary>
    public static double Crawford(TextCounts c) =>
        (-0.205 * 100.0 * c.Sentences / c.Words) + (0.049 * 100.0 * c.Syllables / c.Words) - 3.407;

    /// <summary>The first Wiener Sachtextformel: a German school grade from long and short words and sentence length.</summary>
    public static double WienerSachtext(TextCounts c) =>
        (0.1935 * 100.0 * c.PolysyllableWords / c.Words) + (0.1672 * c.Words / c.Sentences)
        + (0.1297 * 100.0 * c.LongWords / c.Words) - (0.0327 * 100.0 * c.MonosyllableWords / c.Words) - 0.875;

    private static IEnumerable<string> Words(string text)
    {
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var letter = i < text.Length && char.IsLetter(text[i]);
            if (letter && start < 0)
            {
                start = i;
            }
            else if (!letter && start >= 0)
            {
                yield return text[start..i];
                start = -1;
            }
        }
    }

    /// <summary>Groups of vowels, less a silent final English "e"; good enough for a grade, the way the formulas were made.</summary>
    private static int Syllables(string word)
    {
        var count = 0;
        var inVowel = false;
        foreach (var c in word.ToLowerInvariant())
        {
            var vowel = "aeiouyáéíóúüäöà".Contains(c, StringComparison.Ordinal);
            if (vowel && !inVowel)
            {
                count++;
            }

            inVowel = vowel;
        }

        if (count > 1 && word.EndsWith('e') && !word.EndsWith("le", StringComparison.OrdinalIgnoreCase))
        {
            count--;
        }

        return Math.Max(count, 1);
    }

    private static int Skip(string text, int from)
    {
        while (from < text.Length && char.IsWhiteSpace(text[from]))
        {
            from++;
        }

        return from;
    }
}
