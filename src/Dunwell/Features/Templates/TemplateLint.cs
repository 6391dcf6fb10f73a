using Dunwell.Data;
using Dunwell.Domain.Messages;

namespace Dunwell.Features.Templates;

/// <summary>Puts rendered template text to the message linter, in the context of the account it was rendered for.</summary>
public static class TemplateLint
{
    public static LintChannel ChannelOf(TemplateChannel channel) => channel switch
    {
        TemplateChannel.Email => LintChannel.Email,
        TemplateChannel.Sms => LintChannel.Sms,
        _ => LintChannel.Letter,
    };

    /// <summary>Lints <c>text</c>; <c>required</c> false skips the pack's required content (for a subject or an HTML part alone).</summary>
    public static LintResult Check(string text, LintContext context, bool required = true) =>
        MessageLinter.Check(text, required ? context : context with { Required = new HashSet<Requirement>() });
}
