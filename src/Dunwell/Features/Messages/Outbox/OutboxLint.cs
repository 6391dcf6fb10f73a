using System.Text.Json;
using System.Text.Json.Serialization;
using Dunwell.Data;
using Dunwell.Domain.Compliance;
using Dunwell.Domain.Messages;
using NodaTime;

namespace Dunwell.Features.Messages.Outbox;

/// <summary>The linter's findings as the message keeps them (JSON and verdict), and the linter run on an agent's own words.</summary>
internal static class OutboxLint
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) } };

    public static void Keep(OutboxMessage message, LintResult lint)
    {
        message.LintFindings = JsonSerializer.Serialize(lint.Findings, Json);
        message.LintVerdict = lint.Verdict;
    }

    /// <summary>The blocking findings in words, from what the message keeps.</summary>
    public static string Blocking(OutboxMessage message)
    {
        var findings = message.LintFindings is null ? [] : JsonSerializer.Deserialize<List<LintFinding>>(message.LintFindings, Json) ?? [];
        return string.Join(" ", findings.Where(f => f.Severity == LintSeverity.Block).Select(f => $"{f.Explanation} ({f.Rule})"));
    }

    /// <summary>
    /// Lints an agent's own words. The blocks the rule pack requires (the debt-collector disclosure, how to opt out) are
    /// the pack's to add, not the agent's to remember: when missing they are appended in its wording, then the whole
    /// text is linted again. Returns the text as it will be sent and what the linter found in it.
    /// </summary>
    public static async Task<(string Text, LintResult Lint)> AgentTextAsync(
        DunwellDb db, long accountId, string text, ContactChannel channel, string language, Instant at, CancellationToken cancellationToken)
    {
        var lint = await MessageChecks.CheckAsync(db, accountId, text, channel, language, at, cancellationToken);
        var missing = lint.Findings.Where(f => f.Rule is RuleIds.RequiredDisclosure or RuleIds.RequiredOptOut && f.Suggestion is not null)
            .Select(f => f.Suggestion!).Distinct(StringComparer.Ordinal).ToList();
        if (missing.Count == 0)
        {
            return (text, lint);
        }

        var completed = text.TrimEnd() + "\n\n" + string.Join("\n", missing);
        return (completed, await MessageChecks.CheckAsync(db, accountId, completed, channel, language, at, cancellationToken));
    }
}
