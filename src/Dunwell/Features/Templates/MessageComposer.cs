using System.Net;
using System.Text.RegularExpressions;
using Dunwell.Data;
using Dunwell.Domain.Compliance;
using Dunwell.Domain.Messages;
using Dunwell.Features.Messages;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Dunwell.Features.Templates;

/// <summary>
/// Renders a queued message from its template: the creditor's own wording or the default set, in the debtor's
/// language (English when there is none in theirs), for the account's kind, with the figures as they stand at the
/// instant given, the pack's blocks in place, and the linter's findings. A template that cannot render, or a final
/// notice with no escalation enabled, comes back with a blocking finding so that it never goes out.
/// </summary>
public sealed partial class MessageComposer(IDateTimeZoneProvider zones) : IMessageComposer
{
    public const string RenderFailed = "template-render-failed";
    public const string NoEscalation = "final-notice-without-escalation";

    public async Task<RenderedMessage> ComposeAsync(DunwellDb db, OutboxMessage message, ContactChannel channel, Instant at, CancellationToken cancellationToken)
    {
        var form = FormOf(channel);
        var account = await db.Accounts.AsNoTracking().Where(a => a.Id == message.AccountId)
            .Select(a => new { a.CreditorId, a.Kind, a.Debtor.Language })
            .SingleAsync(cancellationToken);
        var template = await TemplateStore.ChooseAsync(db, account.CreditorId, message.TemplateKey, form, account.Language, account.Kind, cancellationToken)
            ?? throw new InvalidOperationException($"There is no '{message.TemplateKey}' template for {form} in English; the default set should have one.");
        var merge = await MergeData.LoadAsync(db, message.AccountId, template.Language, form, message.ArrangementId, at, zones, cancellationToken)
            ?? throw new InvalidOperationException($"Account {message.AccountId} of outbox message {message.Id} is not there.");
        var lint = await MessageChecks.ContextAsync(db, message.AccountId, TemplateLint.ChannelOf(form), template.Language, at, cancellationToken);
        return Render(template, merge, lint!, at);
    }

    public static TemplateChannel FormOf(ContactChannel channel) => channel switch
    {
        ContactChannel.Email => TemplateChannel.Email,
        ContactChannel.Sms => TemplateChannel.Sms,
        ContactChannel.Letter => TemplateChannel.Letter,
        _ => throw new ArgumentException("A call has no template; the US pack's voicemail is PackBlocks.Voicemail.", nameof(channel)),
    };

    /// <summary>Renders one template version against loaded merge data; the preview renders an unsaved draft the same way.</summary>
    public static RenderedMessage Render(TemplateVersion template, MergeData.Loaded merge, LintContext lint, Instant at)
    {
        var subject = template.Subject is null ? new RenderOutcome("", null) : TemplateSandbox.Render(template.Subject, merge.Values, html: false, at);
        var text = TemplateSandbox.Render(template.Body, merge.Values, html: false, at);
        var html = template.Html is null ? new RenderOutcome(null, null) : TemplateSandbox.Render(template.Html, merge.Values, html: true, at);
        var failure = new[] { ("subject", subject), ("body", text), ("HTML part", html) }.FirstOrDefault(p => p.Item2.Failed);
        if (failure.Item2 is { } failed)
        {
            return new RenderedMessage(null, "", null, template.Language, template.Id, new LintResult(
                [new LintFinding(LintSeverity.Block, RenderFailed, 0, 0, $"The {failure.Item1} of the template could not be rendered: {failed.Error}", null)]));
        }

        var blocks = PackBlocks.For(merge.Blocks).Values.Where(b => b.Length > 0).ToList();
        var body = WithBlocks(Tidy(text.Output!), blocks);
        var htmlBody = html.Output is { } h ? WithHtmlBlocks(h, blocks) : null;
        var subjectText = template.Subject is null ? null : Tidy(subject.Output!).ReplaceLineEndings(" ");

        var context = lint with
        {
            Purpose = template.Purpose switch
            {
                TemplatePurposes.ValidationNotice => ContactPurpose.ValidationNotice,
                TemplatePurposes.ArrangementRecap => ContactPurpose.ConversationRecap,
                _ => lint.Purpose,
            },
        };
        var findings = TemplateLint.Check(body, context).Findings.ToList();
        AddElsewhere(findings, "subject", subjectText, context);
        AddElsewhere(findings, "HTML part", htmlBody is null ? null : VisibleText(htmlBody), context);
        if (template.Purpose == TemplatePurposes.FinalNotice && merge.Consequences.Count == 0)
        {
            findings.Insert(0, new LintFinding(LintSeverity.Block, NoEscalation, 0, 0,
                "A final notice exists only when the creditor has enabled an escalation for this account, and none is enabled. Without one it would be an empty threat.",
                "Send a firm overdue reminder instead."));
        }

        return new RenderedMessage(subjectText, body, htmlBody, template.Language, template.Id, new LintResult(findings));
    }

    /// <summary>Blocking findings in the subject or the HTML part that the text does not already show, placed at the start.</summary>
    private static void AddElsewhere(List<LintFinding> findings, string where, string? text, LintContext context)
    {
        if (string.IsNullOrEmpty(text))
        {
            return;
        }

        // The subject and HTML part carry no required blocks of their own; only what they say is checked.
        foreach (var f in TemplateLint.Check(text, context, required: false).Findings
            .Where(f => f.Severity == LintSeverity.Block && !findings.Any(g => g.Rule == f.Rule)))
        {
            findings.Add(f with { Start = 0, Length = 0, Explanation = $"In the {where}: {f.Explanation}" });
        }
    }

    /// <summary>Any block the template did not place goes at the end: the law's words are never left out.</summary>
    private static string WithBlocks(string text, IEnumerable<string> blocks) =>
        blocks.Where(b => !text.Contains(b, StringComparison.Ordinal)).Aggregate(text, (t, b) => t + "\n\n" + b);

    private static string WithHtmlBlocks(string html, IEnumerable<string> blocks)
    {
        var missing = blocks.Where(b => !html.Contains(WebUtility.HtmlEncode(b), StringComparison.Ordinal) && !html.Contains(b, StringComparison.Ordinal))
            .Select(b => $"<p>{WebUtility.HtmlEncode(b)}</p>").ToList();
        if (missing.Count == 0)
        {
            return html;
        }

        var end = html.LastIndexOf("</body>", StringComparison.OrdinalIgnoreCase);
        return end < 0 ? html + string.Concat(missing) : html.Insert(end, string.Concat(missing));
    }

    /// <summary>No trailing spaces, and at most one empty line in a row (empty slots leave gaps otherwise).</summary>
    public static string Tidy(string text) =>
        ManyBlankLines().Replace(TrailingSpace().Replace(text.ReplaceLineEndings("\n"), ""), "\n\n").Trim();

    public static string VisibleText(string html) =>
        WebUtility.HtmlDecode(Tags().Replace(StyleOrScript().Replace(html, " "), " "));

    [GeneratedRegex(@"[ \t]+$", RegexOptions.Multiline)]
    private static partial Regex TrailingSpace();

    [GeneratedRegex(@"\n{3,}")]
    private static partial Regex ManyBlankLines();

    [GeneratedRegex(@"<[^>]+>")]
    private static partial Regex Tags();

    [GeneratedRegex(@"<(style|script)[^>]*>.*?</\1>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex StyleOrScript();
}
