using Dunwell.Domain.Accounts;
using Dunwell.Domain.Compliance;
using Dunwell.Domain.Messages;

namespace Dunwell.Domain.Tests.Messages;

public sealed class MessageLinterTests
{
    private static LintContext Consumer(params Consequence[] enabled) =>
        new(LintChannel.Letter, "en", AccountKind.Consumer, enabled.ToHashSet(), TimeBarred: false, RulePacks.UkFcaId);

    private static IEnumerable<string> Rules(string text, LintContext context) =>
        MessageLinter.Check(text, context).Findings.Select(f => f.Rule);

    [Theory]
    [InlineData("If you do not pay, you will be arrested.", RuleIds.ThreatArrest)]
    [InlineData("We will contact your employer about this debt.", RuleIds.ThreatTellingOthers)]
    [InlineData("We will garnish your wages.", RuleIds.ThreatGarnishment)]
    [InlineData("Bailiffs will seize your car.", RuleIds.ThreatSeizure)]
    [InlineData("You are a liar and a deadbeat.", RuleIds.Accusation)]
    [InlineData("We will keep calling you until you pay.", RuleIds.Harassment)]
    [InlineData("This is your last chance to pay.", RuleIds.FalseUrgency)]
    [InlineData("Pay today or we will take legal action.", RuleIds.EmptyThreatLegal)]
    [InlineData("We will report this to the credit bureaus.", RuleIds.EmptyThreatCreditReporting)]
    [InlineData("Your account will be passed to a debt collection agency.", RuleIds.EmptyThreatAgency)]
    [InlineData("Your service will be suspended.", RuleIds.EmptyThreatServiceSuspension)]
    [InlineData("We will repossess the car.", RuleIds.EmptyThreatRepossession)]
    [InlineData("Your card 4111 1111 1111 1111 was declined.", RuleIds.CardNumber)]
    public void Threats_accusations_and_empty_threats_block(string text, string rule)
    {
        var result = MessageLinter.Check(text, Consumer());

        Assert.Equal("block", result.Verdict);
        Assert.Contains(result.Findings, f => f.Rule == rule && f.Severity == LintSeverity.Block);
    }

    [Theory]
    [InlineData("We will not take legal action.")]
    [InlineData("This letter explains your legal rights.")]
    [InlineData("If you dispute this, please write to us.")]
    [InlineData("We can't report this to a credit bureau because we don't report to them.")]
    [InlineData("You wrote \"I am not paying you thieves\", and we understand you are upset.")]
    [InlineData("Legal action is not something we are considering.")]
    [InlineData("We will never contact your employer or your family.")]
    public void Negation_and_benign_context_do_not_block(string text) =>
        Assert.DoesNotContain(MessageLinter.Check(text, Consumer()).Findings, f => f.Severity == LintSeverity.Block);

    [Fact]
    public void An_enabled_consequence_is_information_not_a_threat()
    {
        var text = "If we cannot agree a plan, we may refer the account to our solicitors for legal action.";

        Assert.Contains(RuleIds.EmptyThreatLegal, Rules(text, Consumer()));
        var enabled = MessageLinter.Check(text, Consumer(Consequence.Legal));
        Assert.Equal("pass", enabled.Verdict);
        Assert.Contains(enabled.Findings, f => f.Rule == RuleIds.ConsequenceEnabled && f.Severity == LintSeverity.Info);
    }

    [Fact]
    public void Legal_action_on_a_time_barred_debt_blocks_even_when_enabled()
    {
        var context = Consumer(Consequence.Legal) with { TimeBarred = true };

        Assert.Contains(RuleIds.EmptyThreatTimeBarred, Rules("We may take legal action.", context));
    }

    [Fact]
    public void A_negation_before_a_conditional_does_not_hide_the_threat() =>
        Assert.Contains(RuleIds.EmptyThreatLegal, Rules("If you don't pay we will take legal action.", Consumer()));

    [Fact]
    public void Spans_point_at_the_words_in_the_original_text()
    {
        var text = "Hello. We will garnish your wages next week.";

        var finding = Assert.Single(MessageLinter.Check(text, Consumer()).Findings, f => f.Severity == LintSeverity.Block);
        Assert.Equal("garnish", text.Substring(finding.Start, finding.Length));
    }

    [Fact]
    public void A_card_number_span_covers_the_whole_number()
    {
        var text = "Card 4111 1111 1111 1111 on file.";

        var finding = Assert.Single(MessageLinter.Check(text, Consumer()).Findings, f => f.Rule == RuleIds.CardNumber);
        Assert.Equal("4111 1111 1111 1111", text.Substring(finding.Start, finding.Length));
    }

    [Fact]
    public void Shouting_stacked_exclamations_and_jargon_warn()
    {
        var result = MessageLinter.Check("PAY NOW!! Your arrears are due pursuant to the agreement.", Consumer());

        Assert.Equal("warn", result.Verdict);
        Assert.Contains(result.Findings, f => f.Rule == RuleIds.PressureCapitals);
        Assert.Contains(result.Findings, f => f.Rule == RuleIds.PressureExclamations);
        Assert.Equal(2, result.Findings.Count(f => f.Rule == RuleIds.Jargon));
    }

    [Fact]
    public void The_us_pack_requires_the_disclosure_and_an_opt_out_in_email()
    {
        var context = LintContext.For(LintChannel.Email, "en", AccountKind.Consumer, [], false, RulePacks.UsFdcpaId);

        Assert.Equal([RuleIds.RequiredDisclosure, RuleIds.RequiredOptOut], Rules("Hello, your balance is $40.", context).Order());
        Assert.Empty(Rules("Hello, your balance is $40. This is a communication from a debt collector. Reply STOP to opt out.", context));
    }

    [Fact]
    public void A_us_voicemail_may_not_mention_the_debt()
    {
        var context = LintContext.For(LintChannel.Voicemail, "en", AccountKind.Consumer, [], false, RulePacks.UsFdcpaId);

        Assert.Empty(Rules("Hello, this is Jane Doe. Please call me back at 555-0100.", context));
        Assert.Contains(RuleIds.LimitedContent, Rules("Hello, please call us about your overdue balance.", context));
    }

    [Fact]
    public void A_demand_to_pay_at_once_overshadows_dispute_rights_in_a_validation_notice()
    {
        var context = LintContext.For(LintChannel.Letter, "en", AccountKind.Consumer, [], false, RulePacks.UsFdcpaId) with
        {
            Purpose = ContactPurpose.ValidationNotice,
            Required = new HashSet<Requirement>(),
        };

        Assert.Contains(RuleIds.Overshadowing, Rules("You must pay immediately.", context));
        Assert.DoesNotContain(RuleIds.Overshadowing, Rules("You must pay immediately.", context with { Purpose = ContactPurpose.Collection }));
    }

    [Fact]
    public void Final_notice_is_false_urgency_only_when_nothing_follows_it()
    {
        Assert.Contains(RuleIds.FalseUrgency, Rules("Final notice: please pay by 30 June.", Consumer()));
        Assert.DoesNotContain(RuleIds.FalseUrgency, Rules("Final notice: please pay by 30 June.", Consumer(Consequence.Agency)));
    }

    [Theory]
    [InlineData("es", "Si no paga, le demandaremos.", RuleIds.EmptyThreatLegal)]
    [InlineData("es", "Informaremos a su empleador.", RuleIds.ThreatTellingOthers)]
    [InlineData("de", "Andernfalls leiten wir rechtliche Schritte ein.", RuleIds.EmptyThreatLegal)]
    [InlineData("de", "Wir übergeben die Forderung an ein Inkassobüro.", RuleIds.EmptyThreatAgency)]
    public void Spanish_and_german_threats_block(string language, string text, string rule) =>
        Assert.Contains(rule, Rules(text, Consumer() with { Language = language }));

    [Theory]
    [InlineData("es", "No tomaremos ninguna acción legal.")]
    [InlineData("de", "Wir werden keine rechtlichen Schritte einleiten.")]
    [InlineData("de", "Ein Inkassoverfahren ist nicht geplant.")]
    public void Spanish_and_german_negation_is_understood(string language, string text) =>
        Assert.DoesNotContain(MessageLinter.Check(text, Consumer() with { Language = language }).Findings, f => f.Severity == LintSeverity.Block);

    [Fact]
    public void An_unknown_language_is_refused_by_name()
    {
        var e = Assert.Throws<ArgumentException>(() => MessageLinter.Check("Hi", Consumer() with { Language = "xx" }));
        Assert.Contains("'xx'", e.Message, StringComparison.Ordinal);
    }
}
