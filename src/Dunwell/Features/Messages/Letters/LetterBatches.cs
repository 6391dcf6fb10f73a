using Dunwell.Data;
using Dunwell.Web;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Dunwell.Features.Messages.Letters;

/// <summary>
/// What people do with print batches: list them, download one (which closes it to new letters), and record that it was
/// posted (its messages become Delivered). Each download and posting is in the audit trail. Scoped by the caller's
/// creditors through the query filters: a batch out of scope is not found.
/// </summary>
public static class LetterBatches
{
    public const string DownloadAction = "letters.download";
    public const string PostedAction = "letters.posted";

    public sealed record Summary(LetterBatch Batch, string CreditorReference, string CreditorName);

    /// <summary>The latest 500 batches, newest first.</summary>
    public static async Task<IReadOnlyList<Summary>> ListAsync(DunwellDb db, CancellationToken cancellationToken)
    {
        var batches = await db.LetterBatches.AsNoTracking().OrderByDescending(b => b.Id).Take(500).ToListAsync(cancellationToken);
        var ids = batches.Select(b => b.CreditorId).Distinct().ToList();
        var creditors = await db.Creditors.AsNoTracking().Where(c => ids.Contains(c.Id))
            .ToDictionaryAsync(c => c.Id, c => (c.Reference, Name: c.DisplayName ?? c.Name), cancellationToken);
        return [.. batches.Select(b => new Summary(b, creditors[b.CreditorId].Reference, creditors[b.CreditorId].Name))];
    }

    /// <summary>The batch's PDF, or null when there is no such batch. An open batch is closed first, so what was printed is all it holds.</summary>
    public static async Task<(LetterBatch Batch, byte[] Pdf)?> DownloadAsync(DunwellDb db, long id, string actor, Instant now, CancellationToken cancellationToken)
    {
        if (!await db.LetterBatches.AnyAsync(b => b.Id == id, cancellationToken))
        {
            return null;
        }

        // The same row a sender counts its letter into: whichever goes second sees the other's change.
        await db.LetterBatches.Where(b => b.Id == id && b.State == LetterBatchState.Open)
            .ExecuteUpdateAsync(s => s
                .SetProperty(b => b.State, LetterBatchState.Downloaded)
                .SetProperty(b => b.OpenFor, (long?)null)
                .SetProperty(b => b.DownloadedAt, now)
                .SetProperty(b => b.DownloadedBy, actor), cancellationToken);
        var batch = await db.LetterBatches.AsNoTracking().SingleAsync(b => b.Id == id, cancellationToken);
        var creditor = await db.Creditors.AsNoTracking().SingleAsync(c => c.Id == batch.CreditorId, cancellationToken);
        var letters = await db.BatchedLetters.AsNoTracking().Where(l => l.BatchId == id).OrderBy(l => l.Id).ToListAsync(cancellationToken);
        var pdf = LetterPdf.Render(batch, creditor, letters);
        AuditLog.Add(db, actor, DownloadAction, LetterBatch.ProviderId(id), now, $"{letters.Count} letters, {batch.PaperSize}");
        await db.SaveChangesAsync(cancellationToken);
        return (batch, pdf);
    }

    public enum PostedResult
    {
        NotFound,
        NotDownloaded,
        AlreadyPosted,
        Posted,
    }

    /// <summary>Records that the batch's letters went in the post: the batch is Posted and each of its messages Delivered.</summary>
    public static async Task<PostedResult> MarkPostedAsync(DunwellDb db, long id, string actor, Instant now, CancellationToken cancellationToken)
    {
        var batch = await db.LetterBatches.AsNoTracking().SingleOrDefaultAsync(b => b.Id == id, cancellationToken);
        switch (batch?.State)
        {
            case null:
                return PostedResult.NotFound;
            case LetterBatchState.Open:
                return PostedResult.NotDownloaded;
            case LetterBatchState.Posted:
                return PostedResult.AlreadyPosted;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var marked = await db.LetterBatches.Where(b => b.Id == id && b.State == LetterBatchState.Downloaded)
            .ExecuteUpdateAsync(s => s
                .SetProperty(b => b.State, LetterBatchState.Posted)
                .SetProperty(b => b.PostedAt, now)
                .SetProperty(b => b.PostedBy, actor), cancellationToken);
        if (marked == 0)
        {
            return PostedResult.AlreadyPosted; // someone else marked it a moment ago
        }

        var providerId = LetterBatch.ProviderId(id);
        var delivered = await db.Outbox.Where(m => m.ProviderMessageId == providerId && m.Channel == Domain.Accounts.InteractionChannel.Letter && m.State == OutboxState.Sent)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.State, OutboxState.Delivered), cancellationToken);
        AuditLog.Add(db, actor, PostedAction, providerId, now, $"{delivered} messages marked delivered");
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return PostedResult.Posted;
    }

    public static string FileName(LetterBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return $"letters-batch-{batch.Id}.pdf";
    }
}
