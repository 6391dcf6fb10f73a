using System.Globalization;
using Dunwell.Domain.Compliance;
using Dunwell.Domain.Messages.Languages;

namespace Dunwell.Domain.Messages;

/// <summary>
/// Checks a message before it goes out (DESIGN §2: courteous, clear, lawful; no empty threats). Pure: the text and
/// its <see cref="LintContext"/> in, findings out, each with its span in the original text, a plain explanation and a
/// kinder wording. The rules are data, one table per language (<see cref="English"/>, <see cref="Spanish"/>,
/// <see cref="German"/>); this class only applies them.
/// </summary>
public static class MessageLinter
{
    public static LanguageRules RulesFor(string language) => LintContext.LanguageOf(language) switch
    {
        "en" => English.Rules,
        "es" => Spanish.Rules,
        "de" => German.Rules,
        _ => throw new ArgumentException(
            $"The linter has no rules for language '{language}'; it knows {string.Join(", ", LintContext.Languages)}.", nameof(language)),
    };

    public static LintResult Check(string text, LintContext context)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(context);
        var rules = RulesFor(context.Language);
        var findings = new List<LintFinding>();
        var around = new Surroundings(text, rules);

        foreach (var phrase in rules.Phrases)
        {
            if (!Applies(phrase, context))
            {
                continue;
            }

            foreach (var m in phrase.Regex.EnumerateMatches(text))
            {
                if (around.InQuotes(m.Index, m.Length) || (phrase.Negatable && around.Negated(m.Index, m.Length)))
                {
                    continue;
                }

                findings.Add(phrase.Kind == PhraseKind.Consequence
                    ? ForConsequence(phrase, context, m.Index, m.Length)
                    : new LintFinding(phrase.Severity, phrase.Rule, m.Index, m.Length, phrase.Explanation, phrase.Suggestion));
            }
        }

        findings.AddRange(CardNumberFindings(text));
        findings.AddRange(Pressure.Findings(text, rules));
        findings.AddRange(JargonFindings(text, rules));
        findings.AddRange(ReadabilityFindings(text, rules, context.Channel));
        findings.AddRange(RequiredContent.Findings(text, rules, context));
        return new LintResult(Tidy(findings));
    }

    private static bool Applies(PhraseRule phrase, LintContext context) => phrase.Kind switch
    {
        PhraseKind.WhenNothingEnabled => context.EnabledConsequences.Count == 0,
        PhraseKind.Overshadowing => context.Pack == RulePacks.UsFdcpaId && context.AccountKind == Accounts.AccountKind.Consumer
            && (context.InValidationPeriod || context.Purpose == ContactPurpose.ValidationNotice),
        _ => true,
    };

    private static LintFinding ForConsequence(PhraseRule phrase, LintContext context, int start, int length)
    {
        var consequence = phrase.Names!.Value;
        var named = Words(consequence);
        if (context.TimeBarred && consequence == Consequence.Legal)
        {
            return new LintFinding(LintSeverity.Block, RuleIds.EmptyThreatTimeBarred, start, length,
                "The debt is time-barred: suit can no longer be brought, so legal action must not be named or implied (12 CFR 1006.26(b)).",
                phrase.Suggestion);
        }

        return context.MayName(consequence)
            ? new LintFinding(LintSeverity.Info, RuleIds.ConsequenceEnabled, start, length,
                $"Names {named}, which the creditor has enabled for this account; say it only as a real next step, never as pressure.", null)
            : new LintFinding(LintSeverity.Block, phrase.Rule, start, length,
                $"An empty threat: names {named}, which the creditor has not enabled for this account, so it will not happen.",
                phrase.Suggestion);
    }

    private static string Words(Consequence consequence) => consequence switch
    {
        Consequence.Agency => "referral to a collection agency",
        Consequence.Legal => "legal action",
        Consequence.CreditReporting => "credit reporting",
        Consequence.ServiceSuspension => "suspension of service",
        _ => "repossession",
    };

    /// <summary>Card-number-like digit runs, found by the same rule that masks them everywhere else (Privacy/CardNumbers).</summary>
    private static IEnumerable<LintFinding> CardNumberFindings(string text)
    {
        var masked = Privacy.CardNumbers.Mask(text);
        if (ReferenceEquals(masked, text))
        {
            yield break;
        }

        var i = 0;
        while (i < text.Length)
        {
            if (masked[i] == text[i])
            {
                i++;
                continue;
            }

            // From the first masked digit to the fourth unmasked digit after the last masked one: the whole number.
            var start = i;
            var kept = 0;
            while (i < text.Length && kept < 4)
            {
                if (masked[i] == text[i] && char.IsAsciiDigit(text[i]))
                {
                    kept++;
                }

                i++;
            }

            yield return new LintFinding(LintSeverity.Block, RuleIds.CardNumber, start, i - start,
                "Looks like a payment card number. Never send a card number in a message; Dunwell never stores one.",
                "the card ending " + text[(i - 4)..i]);
        }
    }

    private static IEnumerable<LintFinding> JargonFindings(string text, LanguageRules rules)
    {
        foreach (var jargon in rules.Jargon)
        {
            foreach (System.Text.RegularExpressions.Match m in jargon.Regex.Matches(text))
            {
                yield return new LintFinding(LintSeverity.Warn, RuleIds.Jargon, m.Index, m.Length,
                    $"\"{m.Value}\" is jargon; a plain word reads better.", jargon.Plain);
            }
        }
    }

    private static IEnumerable<LintFinding> ReadabilityFindings(string text, LanguageRules rules, LintChannel channel)
    {
        var target = Readability.TargetFor(channel);
        foreach (var sentence in Readability.Sentences(text).Where(s => s.Words > target.MaxSentenceWords))
        {
            yield return new LintFinding(LintSeverity.Warn, RuleIds.ReadabilitySentenceLength, sentence.Start, sentence.Length,
                $"This sentence has {sentence.Words} words; on {channel.ToString().ToLowerInvariant()} aim for at most {target.MaxSentenceWords}.",
                "Split it into two shorter sentences.");
        }

        var counts = Readability.Count(text);
        if (counts.Words < Readability.MinWordsForGrade)
        {
            yield break;
        }

        var grade = rules.Grade(counts);
        if (grade > target.MaxGrade)
        {
            yield return new LintFinding(LintSeverity.Warn, RuleIds.ReadabilityGrade, 0, text.Length,
                string.Create(CultureInfo.InvariantCulture, $"Reads at school grade {grade:0.0}; on {channel.ToString().ToLowerInvariant()} aim for {target.MaxGrade:0} or below."),
                "Use shorter sentences and everyday words.");
        }
    }

    /// <summary>In text order; a rule reported once where its matches overlap.</summary>
    private static List<LintFinding> Tidy(List<LintFinding> findings)
    {
        var kept = new List<LintFinding>();
        foreach (var f in findings.OrderBy(f => f.Start).ThenByDescending(f => f.Length))
        {
            if (!kept.Exists(k => k.Rule == f.Rule && f.Start < k.Start + k.Length && k.Start < f.Start + f.Length && f.Length > 0))
            {
                kept.Add(f);
            }
        }

        return kept;
    }
}
