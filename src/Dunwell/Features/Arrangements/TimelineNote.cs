using Dunwell.Data;
using Dunwell.Domain.Accounts;
using NodaTime;

namespace Dunwell.Features.Arrangements;

/// <summary>An internal note on an account's timeline: how every arrangement decision is recorded with who and why.</summary>
internal static class TimelineNote
{
    public static void Add(DunwellDb db, Account account, string author, Instant now, string notes, OutcomeCode outcome = OutcomeCode.None) =>
        db.Interactions.Add(new Interaction
        {
            AccountId = account.Id,
            DebtorId = account.DebtorId,
            Channel = InteractionChannel.Note,
            Direction = InteractionDirection.Internal,
            OccurredAt = now,
            RecordedAt = now,
            Author = author,
            Outcome = outcome,
            Notes = notes,
        });
}
