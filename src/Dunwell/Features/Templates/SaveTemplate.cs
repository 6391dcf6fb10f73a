using System.Text.RegularExpressions;
using Dunwell.Data;
using Dunwell.Domain.Accounts;
using Dunwell.Domain.Messages;
using Dunwell.Features.Messages;
using Dunwell.Web;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Dunwell.Features.Templates;

/// <summary>A template as written, for a save or a preview.</summary>
public sealed record TemplateDraft(string? Creditor, string Purpose, TemplateChannel Channel, string Language, AccountKind Variant, string? Subject, string Body, string? Html);

/// <summary>A draft rendered against an account: what the customer would get now, and what the linter says of it.</summary>
public sealed record TemplatePreview(RenderedMessage? Rendered, IReadOnlyDictionary<string, string[]> Problems);

/// <summary>
/// Saving a template adds the next version; nothing saved is ever changed. A save is refused, with the field at fault,
/// when the Liquid does not parse, a slot the pack requires is missing, or the linter blocks what it says (checked
/// on the words as written, and on the render against an account when one is given).
/// </summary>
public static partial class SaveTemplate
{
    /// <summary>The creditor's id (null for the default set) or the problems with the draft's identity.</summary>
    public static async Task<(long? CreditorId, string? Pack, Dictionary<string, string[]> Problems)> ResolveAsync(DunwellDb db, TemplateDraft draft, CancellationToken cancellationToken)
    {
        var problems = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(draft.Purpose) || !TemplatePurposes.Exists(draft.Purpose))
        {
            problems["purpose"] = [$"'{draft.Purpose}' is not a template purpose; use one of: {string.Join(", ", TemplatePurposes.All.Keys)}."];
        }

        if (string.IsNullOrWhiteSpace(draft.Language) || !TemplateLanguage.Supported.Contains(draft.Language))
        {
            problems["language"] = [$"Templates can be written in {string.Join(", ", TemplateLanguage.Supported)} (the languages the linter checks)."];
        }

        if (draft.Creditor is null)
        {
            return (null, null, problems);
        }

        var creditor = await db.Creditors.Where(c => c.Reference == draft.Creditor).Select(c => new { c.Id, c.JurisdictionPack }).SingleOrDefaultAsync(cancellationToken);
        if (creditor is null)
        {
            problems["creditor"] = [$"No creditor with reference '{draft.Creditor}'."];
            return (null, null, problems);
        }

        // A US creditor's consumer templates carry the US pack's slots; business wording needs only the opt-out.
        var pack = creditor.JurisdictionPack == PackBlocks.UsPack && draft.Variant == AccountKind.Commercial ? "B2B" : creditor.JurisdictionPack;
        return (creditor.Id, pack, problems);
    }

    /// <summary>The linter's blocking findings on the words as written, merge fields and tags left out (no account needed).</summary>
    public static IReadOnlyList<LintFinding> LintSource(TemplateDraft draft, IReadOnlyList<Consequence> enabled)
    {
        var context = LintContext.For(TemplateLint.ChannelOf(draft.Channel), draft.Language, draft.Variant, enabled, false, "");
        return [.. new[] { draft.Subject, draft.Body }.Where(s => !string.IsNullOrEmpty(s))
            .SelectMany(s => TemplateLint.Check(Liquid().Replace(s!, " "), context, required: false).Findings)
            .Where(f => f.Severity == LintSeverity.Block)];
    }

    /// <summary>Renders the draft against the account as it stands at <paramref name="at"/>, with the linter's findings.</summary>
    public static async Task<TemplatePreview> PreviewAsync(DunwellDb db, TemplateDraft draft, long accountId, Instant at, IDateTimeZoneProvider zones, CancellationToken cancellationToken)
    {
        var merge = await MergeData.LoadAsync(db, accountId, draft.Language, draft.Channel, null, at, zones, cancellationToken);
        if (merge is null)
        {
            return new(null, new Dictionary<string, string[]> { ["accountId"] = [$"No account {accountId}."] });
        }

        var problems = TemplateStore.Problems(draft.Channel, null, draft.Subject, draft.Body, draft.Html)
            .Where(p => !p.Value.Any(m => m.Contains("must place", StringComparison.Ordinal)))
            .ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        if (problems.Count > 0)
        {
            return new(null, problems);
        }

        var lint = await MessageChecks.ContextAsync(db, accountId, TemplateLint.ChannelOf(draft.Channel), draft.Language, at, cancellationToken);
        var version = new TemplateVersion
        {
            Purpose = draft.Purpose,
            Channel = draft.Channel,
            Language = draft.Language,
            Variant = draft.Variant,
            Subject = draft.Channel == TemplateChannel.Email ? draft.Subject : null,
            Body = draft.Body,
            Html = draft.Channel == TemplateChannel.Email ? draft.Html : null,
            SavedBy = "preview",
        };
        return new(MessageComposer.Render(version, merge, lint!, at), problems);
    }

    /// <summary>Saves the draft as the next version, or returns the problems keyed by field (nothing saved).</summary>
    public static async Task<(TemplateVersion? Saved, IReadOnlyDictionary<string, string[]> Problems)> SaveAsync(
        DunwellDb db, TemplateDraft draft, string actor, Instant now, CancellationToken cancellationToken)
    {
        var (creditorId, pack, problems) = await ResolveAsync(db, draft, cancellationToken);
        foreach (var (field, messages) in TemplateStore.Problems(draft.Channel, draft.Creditor is null ? null : pack, draft.Subject, draft.Body, draft.Html))
        {
            problems[field] = [.. problems.GetValueOrDefault(field, []), .. messages];
        }

        if (problems.Count == 0)
        {
            var enabled = creditorId is { } id ? (await CreditorPolicies.PolicyStore.CurrentAsync(db, id, cancellationToken)).Policy.EnabledConsequences : [];
            var blocking = LintSource(draft, enabled);
            if (blocking.Count > 0)
            {
                problems["body"] = [.. blocking.Select(f => $"The linter blocks this ({f.Rule}): {f.Explanation}{(f.Suggestion is { } s ? " Try: " + s : "")}")];
            }
        }

        if (problems.Count > 0)
        {
            return (null, problems);
        }

        var latest = await db.Templates.IgnoreQueryFilters()
            .Where(t => t.CreditorId == creditorId && t.Purpose == draft.Purpose && t.Channel == draft.Channel && t.Language == draft.Language && t.Variant == draft.Variant)
            .MaxAsync(t => (int?)t.Version, cancellationToken) ?? 0;
        var saved = new TemplateVersion
        {
            CreditorId = creditorId,
            Purpose = draft.Purpose,
            Channel = draft.Channel,
            Language = draft.Language,
            Variant = draft.Variant,
            Version = latest + 1,
            Subject = draft.Channel == TemplateChannel.Email ? draft.Subject : null,
            Body = draft.Body,
            Html = draft.Channel == TemplateChannel.Email ? draft.Html : null,
            SavedBy = actor,
            SavedAt = now,
        };
        db.Templates.Add(saved);
        AuditLog.Add(db, actor, "template.save", $"template:{draft.Creditor ?? "default"}/{draft.Purpose}/{draft.Channel}/{draft.Language}/{draft.Variant}", now, $"version {saved.Version}");
        await db.SaveChangesAsync(cancellationToken);
        return (saved, problems);
    }

    [GeneratedRegex(@"\{\{.*?\}\}|\{%.*?%\}", RegexOptions.Singleline)]
    private static partial Regex Liquid();
}
