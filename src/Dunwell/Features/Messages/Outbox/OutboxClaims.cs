using Dunwell.Data;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Dunwell.Features.Messages.Outbox;

/// <summary>
/// Which sender sends which message. A claim moves a due message from Queued to Sending with the sender's token and a
/// lease, in one statement that only one sender can win: on PostgreSQL the rows are locked with FOR UPDATE SKIP LOCKED
/// (other nodes pass over them); on SQLite each is claimed by a conditional UPDATE (state still Queued). A claim whose
/// lease ran out belonged to a sender that died: its message is queued again if the channel was never asked, and
/// parked for a person if it was (it may have gone out; resending could make a second copy).
/// </summary>
internal static class OutboxClaims
{
    public static async Task<IReadOnlyList<long>> ClaimAsync(DunwellDb db, string token, Instant now, Instant leaseUntil, int batch, CancellationToken cancellationToken)
    {
        if (db.Database.IsNpgsql())
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var due = now.ToDateTimeUtc();
            var rows = await db.Outbox
                .FromSql($"SELECT * FROM outbox_messages WHERE state = 'Queued' AND send_after <= {due} ORDER BY send_after, id LIMIT {batch} FOR UPDATE SKIP LOCKED")
                .ToListAsync(cancellationToken);
            foreach (var row in rows)
            {
                row.State = OutboxState.Sending;
                row.ClaimToken = token;
                row.LeaseUntil = leaseUntil;
            }

            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            db.ChangeTracker.Clear();
            return [.. rows.Select(r => r.Id)];
        }

        var candidates = await db.Outbox.Where(m => m.State == OutboxState.Queued && m.SendAfter <= now)
            .OrderBy(m => m.SendAfter).ThenBy(m => m.Id).Select(m => m.Id).Take(batch).ToListAsync(cancellationToken);
        var claimed = new List<long>();
        foreach (var id in candidates)
        {
            var won = await db.Outbox.Where(m => m.Id == id && m.State == OutboxState.Queued)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.State, OutboxState.Sending).SetProperty(m => m.ClaimToken, token).SetProperty(m => m.LeaseUntil, leaseUntil), cancellationToken);
            if (won == 1)
            {
                claimed.Add(id);
            }
        }

        return claimed;
    }

    /// <summary>Claims whose lease ran out: queued again, or parked with the evidence. Returns how many were parked.</summary>
    public static async Task<int> ReclaimAsync(DunwellDb db, Instant now, CancellationToken cancellationToken)
    {
        var expired = await db.Outbox.Include(m => m.DeliveryAttempts)
            .Where(m => m.State == OutboxState.Sending && m.LeaseUntil < now).Take(1_000).ToListAsync(cancellationToken);
        var parked = 0;
        foreach (var message in expired)
        {
            var open = message.DeliveryAttempts.FirstOrDefault(a => a.Outcome is null && a.ClaimToken == message.ClaimToken);
            // None of the channels recognises a repeat (an SMTP server delivers a second copy, an SMS provider sends a second
            // text, a printed letter cannot be unprinted), so a hand-over that was begun is never begun again automatically.
            if (open is not null)
            {
                open.Outcome = nameof(SendResult.Unknown);
                open.FinishedAt = now;
                open.Evidence = $"The sender stopped after it began handing the message over at {open.StartedAt} and before it recorded the answer; it may have been delivered.";
                message.State = OutboxState.Parked;
                message.HeldReason = open.Evidence + " Check whether it arrived, then mark it as sent or send it again.";
                parked++;
            }
            else
            {
                // Nothing was handed over (or the channel takes a repeat without a second copy): it simply goes again.
                message.State = OutboxState.Queued;
            }

            message.ClaimToken = null;
            message.LeaseUntil = null;
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateConcurrencyException)
            {
                // Another sender reclaimed it first.
                db.ChangeTracker.Clear();
            }
        }

        db.ChangeTracker.Clear();
        return parked;
    }
}
