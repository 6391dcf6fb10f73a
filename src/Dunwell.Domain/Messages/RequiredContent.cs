namespace Dunwell.Domain.Messages;

/// <summary>
/// What the rule pack requires of the text (<see cref="LintContext.Required"/>): the debt-collector disclosure, how to
/// opt out, and for a US voicemail a limited-content message that says nothing about a debt.
/// </summary>
internal static class RequiredContent
{
    public static IEnumerable<LintFinding> Findings(string text, LanguageRules rules, LintContext context)
    {
        if (context.Required.Contains(Requirement.DebtCollectorDisclosure) && !rules.Disclosure.IsMatch(text))
        {
            yield return new LintFinding(LintSeverity.Block, RuleIds.RequiredDisclosure, 0, 0,
                "The US pack requires every message to say it is from a debt collector (FDCPA 807(11)).",
                rules.RequiredWording[Requirement.DebtCollectorDisclosure]);
        }

        if (context.Required.Contains(Requirement.OptOut) && !rules.OptOut.IsMatch(text))
        {
            yield return new LintFinding(LintSeverity.Block, RuleIds.RequiredOptOut, text.Length, 0,
                "Every email and text message must say how to stop receiving them (12 CFR 1006.6(e)).",
                rules.RequiredWording[Requirement.OptOut]);
        }

        if (context.Required.Contains(Requirement.LimitedContent))
        {
            foreach (System.Text.RegularExpressions.Match m in rules.DebtWords.Matches(text))
            {
                yield return new LintFinding(LintSeverity.Block, RuleIds.LimitedContent, m.Index, m.Length,
                    "A voicemail may be heard by someone else, so under the US pack it must not mention a debt: only your name, the customer's name and how to call back (12 CFR 1006.2(j)).",
                    rules.RequiredWording[Requirement.LimitedContent]);
            }
        }
    }
}
