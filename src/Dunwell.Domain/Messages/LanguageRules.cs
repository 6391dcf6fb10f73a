using System.Text.RegularExpressions;

namespace Dunwell.Domain.Messages;

/// <summary>When a phrase rule fires.</summary>
public enum PhraseKind
{
    /// <summary>Always (unless negated or quoted): threats, insults, shaming, harassment.</summary>
    Always,

    /// <summary>Names a consequence: fine when the creditor enabled it and the account can lawfully face it, an empty threat otherwise.</summary>
    Consequence,

    /// <summary>Fires only when the creditor has enabled no consequence at all ("final notice" with nothing to follow it).</summary>
    WhenNothingEnabled,

    /// <summary>Fires only in a validation notice or during the validation period (US pack): demands that overshadow dispute rights.</summary>
    Overshadowing,
}

/// <summary>
/// One row of a language's rule table: a pattern, the rule id it reports, why it matters (in English, for staff) and
/// a kinder wording (in the text's language).
/// </summary>
public sealed record PhraseRule(string Rule, LintSeverity Severity, string Pattern, string Explanation, string Suggestion)
{
    public PhraseKind Kind { get; init; } = PhraseKind.Always;

    /// <summary>For <see cref="PhraseKind.Consequence"/>: the consequence the phrase names.</summary>
    public Consequence? Names { get; init; }

    /// <summary>Whether "not", "never"… before it (or "is not" after it) turns it harmless.</summary>
    public bool Negatable { get; init; } = true;

    public Regex Regex { get; } = LanguageRules.Compile(Pattern);
}

/// <summary>A word with a plain alternative.</summary>
public sealed record Jargon(string Pattern, string Plain)
{
    public Regex Regex { get; } = LanguageRules.Compile(Pattern);
}

/// <summary>
/// Everything the linter knows about one language, as data: phrase rules, jargon, how negation and clauses look,
/// what the required content looks like, and how to count syllables for readability.
/// </summary>
public sealed record LanguageRules(string Language)
{
    public required IReadOnlyList<PhraseRule> Phrases { get; init; }

    public required IReadOnlyList<Jargon> Jargon { get; init; }

    /// <summary>Words that negate what follows in the same clause: not, never, no, n't…</summary>
    public required Regex NegationWord { get; init; }

    /// <summary>Words after a negation that start a new statement, so the negation no longer applies ("if you don't pay we'll…").</summary>
    public required Regex NegationReset { get; init; }

    /// <summary>A negation right after a phrase ("legal action is not planned"), matched at the start of what follows it.</summary>
    public required Regex NegationAfter { get; init; }

    /// <summary>Where a clause ends: punctuation, and words that start a new clause (but, if, unless, because…).</summary>
    public required Regex ClauseBreak { get; init; }

    public required Regex Disclosure { get; init; }

    public required Regex OptOut { get; init; }

    /// <summary>Words that reveal a debt, which a limited-content voicemail must not contain.</summary>
    public required Regex DebtWords { get; init; }

    /// <summary>Words that are not shouting though written in capitals (acronyms, STOP).</summary>
    public IReadOnlySet<string> CapitalsAllowed { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>The school grade of a text from its counts; each language has its own formula.</summary>
    public required Func<TextCounts, double> Grade { get; init; }

    /// <summary>How a kinder wording of each required piece reads in this language.</summary>
    public required IReadOnlyDictionary<Requirement, string> RequiredWording { get; init; }

    public static Regex Compile(string pattern) =>
        new(pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
}

/// <summary>Counts a readability formula works from.</summary>
public sealed record TextCounts(int Sentences, int Words, int Syllables, int LongWords, int PolysyllableWords, int MonosyllableWords);
