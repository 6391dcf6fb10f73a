using Dunwell.Data;
using Dunwell.Features.Accounts;
using Microsoft.EntityFrameworkCore;

namespace Dunwell.Features.Interactions;

/// <summary>
/// An account's timeline: the interactions recorded on it and those recorded on another of the debtor's accounts that
/// were also about it, newest first. The account page, GET /accounts/{id} and the interactions API all read it here.
/// </summary>
public static class InteractionTimeline
{
    public static async Task<List<InteractionLine>> OfAsync(DunwellDb db, long accountId, long debtorId, CancellationToken cancellationToken, long? only = null)
    {
        var rows = await db.Interactions.AsNoTracking()
            .Where(InteractionAccounts.About(accountId, debtorId))
            .Where(i => only == null || i.Id == only || i.CorrectsInteractionId == only)
            .OrderByDescending(i => i.OccurredAt).ThenByDescending(i => i.Id)
            .Select(i => new
            {
                Line = new InteractionLine(i.Id, i.Channel, i.Direction, i.OccurredAt, i.RecordedAt, i.Author, i.Outcome, i.Conversation, i.Notes,
                    i.CorrectsInteractionId)
                { ComplianceException = i.ComplianceException },
                i.AccountId,
                i.AlsoAbout,
            })
            .ToListAsync(cancellationToken);
        return [.. rows.Select(r => r.Line with { Accounts = InteractionAccounts.All(r.AccountId, r.AlsoAbout) })];
    }

    /// <summary>The line of an interaction just recorded.</summary>
    public static InteractionLine Line(Interaction i) =>
        new(i.Id, i.Channel, i.Direction, i.OccurredAt, i.RecordedAt, i.Author, i.Outcome, i.Conversation, i.Notes, i.CorrectsInteractionId)
        {
            ComplianceException = i.ComplianceException,
            Accounts = InteractionAccounts.All(i.AccountId, i.AlsoAbout),
        };
}
