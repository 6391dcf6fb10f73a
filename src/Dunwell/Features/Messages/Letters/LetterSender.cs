using Dunwell.Data;
using Dunwell.Domain.Compliance;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Dunwell.Features.Messages.Letters;

/// <summary>
/// Puts a letter in its creditor's open print batch, addressed to the debtor's postal address. Accepted means "in batch
/// N" (<see cref="LetterBatch.ProviderId"/>): the message stays Sent until the batch is marked posted. Adding twice is
/// impossible (one row per message): a retry gets the batch the letter is already in, even a closed one.
/// </summary>
public sealed class LetterSender(IServiceScopeFactory scopes, TimeProvider clock) : IChannelSender
{
    public ContactChannel Channel => ContactChannel.Letter;

    public async Task<SendOutcome> SendAsync(Outgoing message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        // A batch closed (downloaded) between finding it and adding to it, or a concurrent sender opening the creditor's
        // batch at the same moment: start again with a fresh unit of work. Three tries are plenty.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await AddAsync(message, cancellationToken);
            }
            catch (Exception e) when (attempt < 3 && e is BatchClosed or DbUpdateException)
            {
            }
        }
    }

    private async Task<SendOutcome> AddAsync(Outgoing message, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<CreditorScope>().AllowAll();
        var db = scope.ServiceProvider.GetRequiredService<DunwellDb>();

        if (await db.BatchedLetters.Where(l => l.MessageId == message.MessageId).Select(l => (long?)l.BatchId).SingleOrDefaultAsync(cancellationToken) is { } already)
        {
            return new(SendResult.Accepted, LetterBatch.ProviderId(already), $"Already in print batch {already}; not added again.");
        }

        var account = await db.Accounts.Include(a => a.Debtor).Include(a => a.Creditor).SingleOrDefaultAsync(a => a.Id == message.AccountId, cancellationToken);
        if (account is null)
        {
            return new(SendResult.Rejected, null, $"Account {message.AccountId} does not exist.");
        }

        if (LetterAddress.Lines(account.Debtor) is not { } address)
        {
            return new(SendResult.Rejected, null, "The debtor has no postal address on file (address line 1 and a city or postal code are needed); the letter was not batched.");
        }

        var now = clock.Now();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var batchId = await OpenBatchAsync(db, account.Creditor, now, cancellationToken);
        // Counting the letter in is what proves the batch is still open; the download closes it with the same row, so
        // the two take turns and a letter never lands in a batch whose PDF was already made.
        var counted = await db.LetterBatches.Where(b => b.Id == batchId && b.State == LetterBatchState.Open)
            .ExecuteUpdateAsync(s => s.SetProperty(b => b.LetterCount, b => b.LetterCount + 1), cancellationToken);
        if (counted == 0)
        {
            throw new BatchClosed();
        }

        db.BatchedLetters.Add(new BatchedLetter
        {
            BatchId = batchId,
            MessageId = message.MessageId,
            AccountId = account.Id,
            AccountReference = account.Reference,
            Address = string.Join('\n', address),
            Subject = message.Subject,
            Text = message.Text,
            Language = message.Language,
            AddedAt = now,
        });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new(SendResult.Accepted, LetterBatch.ProviderId(batchId), $"Added to print batch {batchId}.");
    }

    private static async Task<long> OpenBatchAsync(DunwellDb db, Creditor creditor, Instant now, CancellationToken cancellationToken)
    {
        if (await db.LetterBatches.Where(b => b.OpenFor == creditor.Id).Select(b => (long?)b.Id).SingleOrDefaultAsync(cancellationToken) is { } open)
        {
            return open;
        }

        var batch = new LetterBatch
        {
            CreditorId = creditor.Id,
            PaperSize = LetterLayout.PaperFor(creditor.JurisdictionPack),
            State = LetterBatchState.Open,
            OpenFor = creditor.Id,
            CreatedAt = now,
        };
        db.LetterBatches.Add(batch);
        await db.SaveChangesAsync(cancellationToken); // the unique OpenFor refuses a second open batch made at the same moment
        return batch.Id;
    }

    private sealed class BatchClosed : Exception;
}
