using System.Text.RegularExpressions;

namespace Dunwell.Domain.Messages;

/// <summary>
/// What surrounds a match: whether it sits in quoted words (the customer's own, reported), and whether the clause
/// it is in negates it ("we will not take legal action", "legal action is not planned").
/// </summary>
internal sealed partial class Surroundings
{
    /// <summary>How many words back a negation may stand and still govern the phrase.</summary>
    private const int NegationReach = 6;

    private static readonly (char Open, char Close)[] QuotePairs = [('"', '"'), ('“', '”'), ('„', '“'), ('«', '»')];

    private readonly string _text;
    private readonly LanguageRules _rules;
    private readonly List<(int Start, int End)> _quoted;

    public Surroundings(string text, LanguageRules rules)
    {
        _text = text;
        _rules = rules;
        _quoted = Quoted(text);
    }

    public bool InQuotes(int start, int length) => _quoted.Exists(q => start >= q.Start && start + length <= q.End);

    /// <summary>A negation inside the match itself ("Lieferungen nicht einstellen"), for patterns that allow words in between.</summary>
    public bool NegatedWithin(int start, int length) =>
        WordBreak().Split(_text.Substring(start, length)).Any(w => w.Length > 0 && _rules.NegationWord.IsMatch(w));

    public bool Negated(int start, int length)
    {
        var clauseStart = ClauseStart(start);
        var words = WordBreak().Split(_text[clauseStart..start]).Where(w => w.Length > 0).ToArray();
        var reach = Math.Max(0, words.Length - NegationReach);
        for (var i = words.Length - 1; i >= reach; i--)
        {
            if (_rules.NegationReset.IsMatch(words[i]))
            {
                break; // "if you don't pay we'll sue": the negation belongs to an earlier statement
            }

            if (_rules.NegationWord.IsMatch(words[i]))
            {
                return true;
            }
        }

        var end = start + length;
        var after = _text[end..ClauseEnd(end)];
        return _rules.NegationAfter.IsMatch(after);
    }

    private int ClauseStart(int position)
    {
        var start = 0;
        foreach (var m in _rules.ClauseBreak.EnumerateMatches(_text.AsSpan(0, position)))
        {
            start = m.Index + m.Length;
        }

        return start;
    }

    private int ClauseEnd(int position)
    {
        foreach (var m in _rules.ClauseBreak.EnumerateMatches(_text.AsSpan(position)))
        {
            return position + m.Index;
        }

        return _text.Length;
    }

    private static List<(int Start, int End)> Quoted(string text)
    {
        var regions = new List<(int, int)>();
        foreach (var (open, close) in QuotePairs)
        {
            var from = 0;
            while (from < text.Length)
            {
                var a = text.IndexOf(open, from);
                if (a < 0)
                {
                    break;
                }

                var b = text.IndexOf(close, a + 1);
                if (b < 0)
                {
                    break;
                }

                regions.Add((a, b + 1));
                from = b + 1;
            }
        }

        return regions;
    }

    /// <summary>What separates words: anything but letters, digits and apostrophes.</summary>
    [GeneratedRegex(@"[^\p{L}\p{N}'’]+")]
    private static partial Regex WordBreak();
}
