namespace Dunwell.Domain.Messages;

public enum LintSeverity
{
    Info,
    Warn,
    Block,
}

/// <summary>A step a creditor may take when a debt stays unpaid; a message may name it only when it is enabled and lawful.</summary>
public enum Consequence
{
    Agency,
    Legal,
    CreditReporting,
    ServiceSuspension,
    Repossession,
}

/// <summary>One thing the linter found: where it is in the text (character offset and length), why it matters, and a kinder wording.</summary>
public sealed record LintFinding(LintSeverity Severity, string Rule, int Start, int Length, string Explanation, string? Suggestion);

/// <summary>Every finding and the verdict: block if any finding blocks, warn if any warns, otherwise pass.</summary>
public sealed record LintResult(IReadOnlyList<LintFinding> Findings)
{
    public LintSeverity? Worst => Findings.Count == 0 ? null : Findings.Max(f => f.Severity);

    /// <summary>"block", "warn" or "pass".</summary>
    public string Verdict => Worst switch
    {
        LintSeverity.Block => "block",
        LintSeverity.Warn => "warn",
        _ => "pass",
    };

    public bool Blocks => Worst == LintSeverity.Block;
}
