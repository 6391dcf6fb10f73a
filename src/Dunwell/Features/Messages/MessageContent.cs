using Dunwell.Data;
using Dunwell.Domain.Compliance;
using Dunwell.Domain.Messages;
using NodaTime;

namespace Dunwell.Features.Messages;

/// <summary>
/// What a message says once rendered for one channel: the subject (email only), the plain text (every channel; for a
/// letter, its body), the HTML (email only), the language it was written in, the template version it came from (none for
/// an agent's own words), and what the linter found in it.
/// </summary>
public sealed record RenderedMessage(string? Subject, string Text, string? Html, string Language, long? TemplateVersionId, LintResult Lint);

/// <summary>
/// Renders a queued message's template against the account as it stands at the moment of sending, in the debtor's
/// language and for the channel chosen, with the blocks the rule pack requires, and lints the result.
/// </summary>
public interface IMessageComposer
{
    Task<RenderedMessage> ComposeAsync(DunwellDb db, OutboxMessage message, ContactChannel channel, Instant at, CancellationToken cancellationToken);
}
