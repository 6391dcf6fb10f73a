using System.Globalization;
using System.Text.Json;
using Dunwell.Domain.Accounts;
using Dunwell.Domain.Compliance;
using Dunwell.Domain.Messages;

namespace Dunwell.Domain.Tests.Messages;

/// <summary>One labelled message of the corpus: the text, its context, and the rules a careful reader expects to fire.</summary>
public sealed record CorpusMessage(
    string Id, string Category, string Language, string AccountKind, string Channel, string Pack, string[] Enabled, bool TimeBarred, string Text,
    string[] Expect, string[] Info, string? Purpose, bool InValidationPeriod, string[]? Requires)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The corpus file beside the tests (copied to the output folder).</summary>
    public static IReadOnlyList<CorpusMessage> Load(string? path = null) =>
        [.. File.ReadLines(path ?? Path.Combine(AppContext.BaseDirectory, "Messages", "linter-corpus.jsonl"))
            .Where(l => l.Length > 0).Select(l => JsonSerializer.Deserialize<CorpusMessage>(l, Json)!)];

    public LintContext Context() => new(
        Enum.Parse<LintChannel>(Channel, ignoreCase: true), Language, Enum.Parse<AccountKind>(AccountKind, ignoreCase: true),
        Enabled.Select(e => Enum.Parse<Consequence>(e, ignoreCase: true)).ToHashSet(), TimeBarred, Pack)
    {
        Purpose = Purpose is null ? ContactPurpose.Collection : Enum.Parse<ContactPurpose>(Purpose, ignoreCase: true),
        InValidationPeriod = InValidationPeriod,
        Required = (Requires ?? []).Select(r => Enum.Parse<Requirement>(r, ignoreCase: true)).ToHashSet(),
    };
}

/// <summary>Precision and recall per severity over the corpus, counting (message, rule) pairs.</summary>
public sealed record CorpusScore(LintSeverity Severity, int Expected, int Found, int TruePositives)
{
    public double Precision => Found == 0 ? 1 : (double)TruePositives / Found;

    public double Recall => Expected == 0 ? 1 : (double)TruePositives / Expected;

    public static IReadOnlyList<CorpusScore> Of(IReadOnlyList<CorpusMessage> corpus, Func<CorpusMessage, LintResult> lint)
    {
        var counts = new Dictionary<LintSeverity, (int Expected, int Found, int Hit)>();
        foreach (var message in corpus)
        {
            var found = lint(message).Findings.Select(f => (f.Severity, f.Rule)).ToHashSet();
            var expected = message.Expect.Select(r => (SeverityOf(r), r)).Concat(message.Info.Select(r => (LintSeverity.Info, r))).ToHashSet();
            foreach (var severity in Enum.GetValues<LintSeverity>())
            {
                var e = expected.Where(x => x.Item1 == severity).ToHashSet();
                var f = found.Where(x => x.Severity == severity).ToHashSet();
                var c = counts.GetValueOrDefault(severity);
                counts[severity] = (c.Expected + e.Count, c.Found + f.Count, c.Hit + e.Count(f.Contains));
            }
        }

        return [.. counts.OrderByDescending(c => c.Key).Select(c => new CorpusScore(c.Key, c.Value.Expected, c.Value.Found, c.Value.Hit))];
    }

    /// <summary>The severity a rule id reports at: warn for tone and readability, info for an enabled consequence, block for the rest.</summary>
    public static LintSeverity SeverityOf(string rule) =>
        rule.StartsWith("pressure.", StringComparison.Ordinal) || rule.StartsWith("readability.", StringComparison.Ordinal) || rule == RuleIds.Jargon
            ? LintSeverity.Warn
            : rule == RuleIds.ConsequenceEnabled ? LintSeverity.Info : LintSeverity.Block;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"| {Severity.ToString().ToLowerInvariant()} | {Expected} | {Found} | {TruePositives} | {Precision:0.000} | {Recall:0.000} |");
}
