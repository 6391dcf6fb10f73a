using System.Text.Json;
using System.Text.Json.Serialization;
using Dunwell.Data;
using Dunwell.Domain.Compliance;
using Dunwell.Domain.Messages;

namespace Dunwell.Features.Messages.Outbox;

/// <summary>The linter's findings as the message keeps them (JSON and verdict), and the linter run on an agent's own words.</summary>
internal static class OutboxLint
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) } };

    public static void Keep(OutboxMessage message, LintResult? lint)
    {
        if (lint is null)
        {
            return;
        }

        message.LintFindings = JsonSerializer.Serialize(lint.Findings, Json);
        message.LintVerdict = lint.Verdict;
    }

    /// <summary>The blocking findings in words, from what the message keeps.</summary>
    public static string Blocking(OutboxMessage message)
    {
        var findings = message.LintFindings is null ? [] : JsonSerializer.Deserialize<List<LintFinding>>(message.LintFindings, Json) ?? [];
        return string.Join(" ", findings.Where(f => f.Severity == LintSeverity.Block).Select(f => $"{f.Explanation} ({f.Rule})"));
    }

    /// <summary>Lints an agent's own words for the channel they go on; null until the linter is part of the build.</summary>
    public static LintResult? Check(OutboxMessage message, ContactChannel channel) => null;
}
