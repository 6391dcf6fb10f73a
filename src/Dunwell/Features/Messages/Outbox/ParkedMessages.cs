using System.CommandLine;
using Dunwell.Data;
using Dunwell.Web;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Dunwell.Features.Messages.Outbox;

/// <summary>
/// A person's answer for a parked message, once they have checked whether it arrived: it did (marked sent, and the
/// timeline says so, naming who decided), or it did not (queued to go again now). Audited either way.
/// </summary>
public static class ParkedMessages
{
    public const string Action = "outbox.reconcile";

    /// <summary>False when there is no such message or it is not parked.</summary>
    public static async Task<bool> ReconcileAsync(DunwellDb db, long messageId, bool arrived, string actor, Instant now, CancellationToken cancellationToken)
    {
        var message = await db.Outbox.SingleOrDefaultAsync(m => m.Id == messageId && m.State == OutboxState.Parked, cancellationToken);
        if (message is null)
        {
            return false;
        }

        var evidence = message.HeldReason;
        // The timeline entry needs its id before the message can point at it: two saves, one transaction.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (arrived)
        {
            message.State = OutboxState.Sent;
            message.SentAt = now;
            message.HeldReason = null;
            var sent = await OutboxRecording.TimelineAsync(db, message, now, actor, $"confirmed sent by {actor} after checking", cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            message.InteractionId = sent.Id;
        }
        else
        {
            message.State = OutboxState.Queued;
            message.SendAfter = now;
            message.HeldReason = null;
        }

        AuditLog.Add(db, actor, Action, $"outbox:{message.Id}", now, (arrived ? "marked as sent" : "send again") + (evidence is null ? "" : $"; evidence: {evidence}"));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    public static Command Command()
    {
        var id = new Option<long>("--id") { Description = "The parked message.", Required = true };
        var arrived = new Option<bool>("--arrived") { Description = "It did arrive: mark it sent (otherwise it is queued to go again now)." };
        var by = new Option<string>("--by") { Description = "Who checked (a user name), for the timeline and the audit trail.", Required = true };
        var reconcile = new Command("reconcile", "Settle a parked message after checking whether it arrived: mark it sent, or send it again.") { id, arrived, by };
        reconcile.SetAction((result, ct) => Cli.RunVerbAsync(async (services, token) =>
        {
            var now = services.GetRequiredService<TimeProvider>().Now();
            if (!await ReconcileAsync(services.GetRequiredService<DunwellDb>(), result.GetValue(id), result.GetValue(arrived), result.GetValue(by)!, now, token))
            {
                throw new VerbException($"Message {result.GetValue(id)} is not parked (or does not exist).");
            }

            await Console.Out.WriteLineAsync(result.GetValue(arrived) ? "Marked as sent." : "Queued to go again.");
            return 0;
        }, ct));
        return reconcile;
    }
}
