using Dunwell.Data;
using Dunwell.Domain.Accounts;
using NodaTime;

namespace Dunwell.Features.Arrangements;

/// <summary>An internal note on an account's timeline: how every arrangement decision is recorded with who and why.</summary>
internal static class TimelineNote
{
    public static void Add(DunwellDb db, Account account, string author, Instant now, string notes, OutcomeCode outcome = OutcomeCode.None) =>
        Add(db, account.Id, account.DebtorId, author, now, notes, outcome);

    /// <summary>The same, by ids, optionally about one of the debtor's contacts (an address a message did not reach).</summary>
    public static void Add(DunwellDb db, long accountId, long debtorId, string author, Instant now, string notes, OutcomeCode outcome = OutcomeCode.None, long? contactId = null) =>
        db.Interactions.Add(new Interaction
        {
            AccountId = accountId,
            DebtorId = debtorId,
            ContactId = contactId,
            Channel = InteractionChannel.Note,
            Direction = InteractionDirection.Internal,
            OccurredAt = now,
            RecordedAt = now,
            Author = author,
            Outcome = outcome,
            Notes = notes,
        });
}
