using Dunwell.Domain.Accounts;
using Dunwell.Features.Accounts;

namespace Dunwell.Features.Interactions;

/// <summary>
/// An interaction on the wire. Interactions are never changed: <see cref="Corrects"/> names the one a correction
/// corrects, and <see cref="CorrectedBy"/> lists the corrections later recorded against this one.
/// </summary>
public sealed record InteractionResponse(
    long Id,
    long AccountId,
    InteractionChannel Channel,
    InteractionDirection Direction,
    DateTimeOffset OccurredAt,
    DateTimeOffset RecordedAt,
    string Author,
    OutcomeCode Outcome,
    bool Conversation,
    string? Notes,
    long? Corrects,
    IReadOnlyList<long> CorrectedBy)
{
    /// <summary>
    /// Set when the attempt was made while the compliance engine did not allow it: which rules, in words. The record
    /// stands as made; a supervisor reviews it.
    /// </summary>
    public string? ComplianceException { get; init; }

    /// <summary>Every account it was about, the one it is recorded on first (a call about several of the debtor's debts).</summary>
    public IReadOnlyList<long> Accounts { get; init; } = [];

    /// <summary>The timeline as given (newest first), each line with the corrections that name it.</summary>
    public static IReadOnlyList<InteractionResponse> From(long accountId, IReadOnlyList<InteractionLine> lines)
    {
        var corrections = lines
            .Where(l => l.CorrectsInteractionId is not null)
            .GroupBy(l => l.CorrectsInteractionId!.Value)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<long>)[.. g.Select(l => l.Id).Order()]);
        return [.. lines.Select(l => From(accountId, l, corrections.GetValueOrDefault(l.Id, [])))];
    }

    /// <summary>One line; its <c>accountId</c> is the account it is recorded on (whose chain holds it), which on another account's timeline is not that account.</summary>
    public static InteractionResponse From(long accountId, InteractionLine line, IReadOnlyList<long> correctedBy) => new(
        line.Id,
        line.Accounts.Count > 0 ? line.Accounts[0] : accountId,
        line.Channel,
        line.Direction,
        line.OccurredAt.ToDateTimeOffset(),
        line.RecordedAt.ToDateTimeOffset(),
        line.Author,
        line.Outcome,
        line.Conversation,
        line.Notes,
        line.CorrectsInteractionId,
        correctedBy)
    {
        ComplianceException = line.ComplianceException,
        Accounts = line.Accounts.Count == 0 ? [accountId] : line.Accounts,
    };
}
