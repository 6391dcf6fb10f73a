using Dunwell.Domain.Accounts;
using Dunwell.Domain.Compliance;

namespace Dunwell.Domain.Messages;

/// <summary>Where a text will be read or heard; the linter's targets and required content depend on it.</summary>
public enum LintChannel
{
    Email,
    Sms,
    Letter,

    /// <summary>What an agent reads on a call (a call script).</summary>
    Call,

    /// <summary>A message left on an answering machine: under the US pack only a limited-content message may be left.</summary>
    Voicemail,
}

/// <summary>What a rule pack asks every text on a channel to contain (or, for voicemail, to leave out).</summary>
public enum Requirement
{
    /// <summary>"This is a communication from a debt collector" (FDCPA 807(11)).</summary>
    DebtCollectorDisclosure,

    /// <summary>How to stop electronic messages (12 CFR 1006.6(e); Dunwell practice on every pack).</summary>
    OptOut,

    /// <summary>A voicemail that says nothing about a debt (12 CFR 1006.2(j)).</summary>
    LimitedContent,
}

/// <summary>
/// Everything the linter needs to know besides the text: channel and language, whose debt it is, which consequences
/// the creditor has enabled for the account, whether the debt is time-barred, the rule pack, why the message is sent
/// and what the pack requires of it. Build it with <see cref="For"/> so the pack's requirements are filled in; a
/// template checked before the pack adds its blocks passes <c>Required = []</c>.
/// </summary>
public sealed record LintContext(
    LintChannel Channel,
    string Language,
    AccountKind AccountKind,
    IReadOnlySet<Consequence> EnabledConsequences,
    bool TimeBarred,
    string Pack)
{
    /// <summary>Why the message is sent; a validation notice must not overshadow the dispute rights it states.</summary>
    public ContactPurpose Purpose { get; init; } = ContactPurpose.Collection;

    /// <summary>Whether the account is inside its validation period (US pack), when dispute rights must not be overshadowed.</summary>
    public bool InValidationPeriod { get; init; }

    /// <summary>What the pack requires of this text; see <see cref="RequirementsOf"/>.</summary>
    public IReadOnlySet<Requirement> Required { get; init; } = new HashSet<Requirement>();

    /// <summary>The languages the linter has rules for: English, Spanish (US pack) and German (B2B in the EU).</summary>
    public static IReadOnlyList<string> Languages { get; } = ["en", "es", "de"];

    /// <summary>A context with the pack's requirements for the channel filled in.</summary>
    public static LintContext For(
        LintChannel channel, string language, AccountKind kind, IEnumerable<Consequence> enabled, bool timeBarred, string pack) =>
        new(channel, language, kind, enabled.ToHashSet(), timeBarred, pack) { Required = RequirementsOf(pack, kind, channel) };

    /// <summary>
    /// What each pack asks: the US pack wants the debt-collector disclosure in every consumer text but a voicemail, and a
    /// voicemail that says nothing about the debt; every pack wants email and SMS to say how to opt out.
    /// </summary>
    public static IReadOnlySet<Requirement> RequirementsOf(string pack, AccountKind kind, LintChannel channel)
    {
        var required = new HashSet<Requirement>();
        var usConsumer = pack == RulePacks.UsFdcpaId && kind == AccountKind.Consumer;
        if (channel is LintChannel.Email or LintChannel.Sms)
        {
            required.Add(Requirement.OptOut);
        }

        if (usConsumer && channel == LintChannel.Voicemail)
        {
            required.Add(Requirement.LimitedContent);
        }
        else if (usConsumer)
        {
            required.Add(Requirement.DebtCollectorDisclosure);
        }

        return required;
    }

    /// <summary>The linter channel for a compliance-engine channel (a call is checked as its script).</summary>
    public static LintChannel ChannelOf(ContactChannel channel) => channel switch
    {
        ContactChannel.Email => LintChannel.Email,
        ContactChannel.Sms => LintChannel.Sms,
        ContactChannel.Letter => LintChannel.Letter,
        _ => LintChannel.Call,
    };

    /// <summary>The primary language subtag ("es-US" → "es"), or null when the linter has no rules for it.</summary>
    public static string? LanguageOf(string? tag)
    {
        var primary = tag?.Split('-', '_')[0].Trim().ToLowerInvariant();
        return primary is not null && Languages.Contains(primary) ? primary : null;
    }

    /// <summary>Whether the consequence may be named: enabled by the creditor and lawful for the account.</summary>
    public bool MayName(Consequence consequence) =>
        EnabledConsequences.Contains(consequence) && !(TimeBarred && consequence == Consequence.Legal);
}
