using System.Reflection;
using System.Text.RegularExpressions;
using Dunwell.Data;
using Dunwell.Domain.Accounts;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Dunwell.Features.Templates;

/// <summary>One template of the default set, as written in its file.</summary>
public sealed record DefaultTemplate(string Purpose, TemplateChannel Channel, string Language, AccountKind Variant, string? Subject, string Body, string? Html);

/// <summary>
/// The default set, written as files (Defaults/{language}/{purpose}.liquid, embedded in the assembly) so they can be
/// read and reviewed like any other text. A file has sections: "=== subject", "=== text", "=== sms", optionally
/// "=== letter" (the text otherwise) and "=== commercial text" and the like where business customers need other words.
/// Every text and letter ends with the language's _footer section; every SMS with its _sms-footer, so the pack's slots
/// are placed once. English and Spanish have both variants; German is for business customers only.
/// Saved as version 1 when the database is set up (and any template added to the set later, when it appears).
/// </summary>
public static partial class DefaultTemplates
{
    public const string SavedBy = "dunwell (default set)";

    private static readonly Lazy<IReadOnlyList<DefaultTemplate>> Loaded = new(Load);

    public static IReadOnlyList<DefaultTemplate> All => Loaded.Value;

    public static IReadOnlyList<AccountKind> VariantsOf(string language) =>
        language == "de" ? [AccountKind.Commercial] : [AccountKind.Consumer, AccountKind.Commercial];

    /// <summary>Adds version 1 of every default template the database does not have yet.</summary>
    public static async Task SeedAsync(DunwellDb db, Instant now, CancellationToken cancellationToken)
    {
        var present = (await db.Templates.IgnoreQueryFilters().Where(t => t.CreditorId == null)
            .Select(t => new { t.Purpose, t.Channel, t.Language, t.Variant }).Distinct().ToListAsync(cancellationToken))
            .Select(t => (t.Purpose, t.Channel, t.Language, t.Variant)).ToHashSet();
        foreach (var d in All.Where(d => !present.Contains((d.Purpose, d.Channel, d.Language, d.Variant))))
        {
            db.Templates.Add(new TemplateVersion
            {
                Purpose = d.Purpose,
                Channel = d.Channel,
                Language = d.Language,
                Variant = d.Variant,
                Version = 1,
                Subject = d.Subject,
                Body = d.Body,
                Html = d.Html,
                SavedBy = SavedBy,
                SavedAt = now,
            });
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    private static List<DefaultTemplate> Load()
    {
        var assembly = typeof(DefaultTemplates).Assembly;
        var files = assembly.GetManifestResourceNames().Where(n => n.EndsWith(".liquid", StringComparison.Ordinal)).ToList();
        var result = new List<DefaultTemplate>();
        foreach (var language in TemplateLanguage.Supported)
        {
            var footer = Sections(Read(assembly, files, language, "_footer"));
            foreach (var purpose in TemplatePurposes.All.Keys)
            {
                var sections = Sections(Read(assembly, files, language, purpose));
                foreach (var variant in VariantsOf(language))
                {
                    string? Part(string name) => sections.GetValueOrDefault($"{(variant == AccountKind.Commercial ? "commercial" : "consumer")} {name}")
                        ?? sections.GetValueOrDefault(name);
                    var subject = Part("subject") ?? throw Missing(language, purpose, "subject");
                    var text = (Part("text") ?? throw Missing(language, purpose, "text")) + "\n\n" + footer["text"];
                    var letter = (Part("letter") ?? Part("text")!) + "\n\n" + footer["text"];
                    var sms = (Part("sms") ?? throw Missing(language, purpose, "sms")) + " " + footer["sms"];
                    result.Add(new(purpose, TemplateChannel.Email, language, variant, subject.Trim(), text.Trim() + "\n", EmailHtml.Wrap(text.Trim())));
                    result.Add(new(purpose, TemplateChannel.Sms, language, variant, null, sms.Trim() + "\n", null));
                    result.Add(new(purpose, TemplateChannel.Letter, language, variant, null, letter.Trim() + "\n", null));
                }
            }
        }

        return result;
    }

    private static string Read(Assembly assembly, List<string> files, string language, string name)
    {
        var resource = files.SingleOrDefault(f => f.EndsWith($".Defaults.{language}.{name}.liquid", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"The default template set has no {language}/{name}.liquid.");
        using var reader = new StreamReader(assembly.GetManifestResourceStream(resource)!);
        return reader.ReadToEnd().Replace("\r\n", "\n", StringComparison.Ordinal);
    }

    private static Dictionary<string, string> Sections(string file)
    {
        var sections = new Dictionary<string, string>(StringComparer.Ordinal);
        var parts = SectionHeader().Split(file);
        for (var i = 1; i + 1 < parts.Length; i += 2)
        {
            sections[parts[i].Trim()] = parts[i + 1].Trim('\n');
        }

        return sections;
    }

    private static InvalidOperationException Missing(string language, string purpose, string part) =>
        new($"The default template {language}/{purpose}.liquid has no '=== {part}' section.");

    [GeneratedRegex(@"^=== (.+)$", RegexOptions.Multiline)]
    private static partial Regex SectionHeader();
}
