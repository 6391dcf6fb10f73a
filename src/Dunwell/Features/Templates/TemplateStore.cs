using Dunwell.Data;
using Dunwell.Domain.Accounts;
using Microsoft.EntityFrameworkCore;

namespace Dunwell.Features.Templates;

/// <summary>Which template a message uses, and the checks every save passes.</summary>
public static class TemplateStore
{
    /// <summary>
    /// The newest version of the template for a message: the creditor's own wording before the default set, in the
    /// debtor's language before English, for the account's kind. Null only if even the English default is missing.
    /// </summary>
    public static async Task<TemplateVersion?> ChooseAsync(
        DunwellDb db, long creditorId, string purpose, TemplateChannel channel, string? language, AccountKind kind, CancellationToken cancellationToken)
    {
        var wanted = TemplateLanguage.Normalise(language) ?? TemplateLanguage.English;
        string[] languages = wanted == TemplateLanguage.English ? [wanted] : [wanted, TemplateLanguage.English];
        var candidates = await db.Templates.AsNoTracking()
            .Where(t => t.Purpose == purpose && t.Channel == channel && t.Variant == kind && languages.Contains(t.Language)
                && (t.CreditorId == null || t.CreditorId == creditorId))
            .ToListAsync(cancellationToken);
        return candidates
            .OrderBy(t => t.Language == wanted ? 0 : 1)
            .ThenBy(t => t.CreditorId == null ? 1 : 0)
            .ThenByDescending(t => t.Version)
            .FirstOrDefault();
    }

    /// <summary>Every version of one template, newest first.</summary>
    public static Task<List<TemplateVersion>> HistoryAsync(
        DunwellDb db, long? creditorId, string purpose, TemplateChannel channel, string language, AccountKind kind, CancellationToken cancellationToken) =>
        db.Templates.AsNoTracking()
            .Where(t => t.CreditorId == creditorId && t.Purpose == purpose && t.Channel == channel && t.Language == language && t.Variant == kind)
            .OrderByDescending(t => t.Version)
            .ToListAsync(cancellationToken);

    /// <summary>The newest version of every template a caller can see (the default set and their creditors' own).</summary>
    public static async Task<List<TemplateVersion>> LatestAsync(DunwellDb db, CancellationToken cancellationToken)
    {
        var all = await db.Templates.AsNoTracking().ToListAsync(cancellationToken);
        return [.. all.GroupBy(t => (t.CreditorId, t.Purpose, t.Channel, t.Language, t.Variant))
            .Select(g => g.MaxBy(t => t.Version)!)
            .OrderBy(t => t.Purpose, StringComparer.Ordinal).ThenBy(t => t.Channel).ThenBy(t => t.Language, StringComparer.Ordinal)
            .ThenBy(t => t.Variant).ThenBy(t => t.CreditorId)];
    }

    /// <summary>
    /// What is wrong with a template before it can be saved, keyed by the field at fault: it must parse as sandboxed
    /// Liquid, have the parts its channel needs, and place every slot its pack requires (<see cref="PackBlocks"/>).
    /// </summary>
    public static Dictionary<string, string[]> Problems(TemplateChannel channel, string? pack, string? subject, string body, string? html)
    {
        var problems = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        void Add(string field, string message)
        {
            if (!problems.TryGetValue(field, out var list))
            {
                problems[field] = list = [];
            }

            list.Add(message);
        }

        if (channel == TemplateChannel.Email)
        {
            if (string.IsNullOrWhiteSpace(subject))
            {
                Add("subject", "An email needs a subject.");
            }

            if (string.IsNullOrWhiteSpace(html))
            {
                Add("html", "An email needs an HTML part as well as the plain text.");
            }
        }
        else if (!string.IsNullOrEmpty(subject) || !string.IsNullOrEmpty(html))
        {
            Add(string.IsNullOrEmpty(subject) ? "html" : "subject", $"Only an email has a subject and an HTML part; a {channel.ToString().ToLowerInvariant()} has only the body.");
        }

        if (string.IsNullOrWhiteSpace(body))
        {
            Add("body", "The body is empty.");
        }

        foreach (var (field, source) in new[] { ("subject", subject), ("body", body), ("html", html) })
        {
            if (!string.IsNullOrEmpty(source) && TemplateSandbox.Parse(source).Error is { } error)
            {
                Add(field, $"This is not valid Liquid: {error}");
            }
        }

        foreach (var slot in PackBlocks.RequiredSlots(channel, pack))
        {
            if (!PackBlocks.Places(body, slot))
            {
                Add("body", $"The body must place {{{{ required.{slot} }}}}: {SlotPurpose(slot)} The rule pack writes the words.");
            }

            if (channel == TemplateChannel.Email && !string.IsNullOrWhiteSpace(html) && !PackBlocks.Places(html, slot))
            {
                Add("html", $"The HTML part must place {{{{ required.{slot} }}}} too.");
            }
        }

        return problems.ToDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.Ordinal);
    }

    private static string SlotPurpose(string slot) => slot switch
    {
        PackBlocks.OptOut => "every email and text must say how to stop them.",
        PackBlocks.Disclosure => "a US consumer message must say it is from a debt collector.",
        _ => "a US consumer email or letter must state the right to dispute.",
    };
}
