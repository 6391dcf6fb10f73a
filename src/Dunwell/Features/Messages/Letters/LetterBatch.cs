using Dunwell.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using NodaTime;

namespace Dunwell.Features.Messages.Letters;

public enum LetterBatchState
{
    /// <summary>Letters are still being added.</summary>
    Open,

    /// <summary>Its PDF was downloaded: closed to new letters. Whether it was posted is not known until someone says so.</summary>
    Downloaded,

    /// <summary>Someone recorded that its letters were posted; its messages are Delivered.</summary>
    Posted,
}

/// <summary>
/// One creditor's letters for printing, on one paper size. Open while the sender adds letters; the first download closes
/// it; a supervisor marks it posted. A batch downloaded but never marked posted may or may not have gone out: its
/// letters are never put in another batch automatically.
/// </summary>
public sealed class LetterBatch
{
    public long Id { get; set; }

    public long CreditorId { get; set; }

    /// <summary>A4 or Letter, from the creditor's rule pack.</summary>
    [NotFreeText("A code from a fixed list, checked where it enters.")]
    public required string PaperSize { get; set; }

    public LetterBatchState State { get; set; }

    /// <summary>The creditor's id while the batch is open, null after: unique, so a creditor has one open batch at a time.</summary>
    public long? OpenFor { get; set; }

    /// <summary>How many letters were added (changed with a conditional update, which also tells a sender the batch closed).</summary>
    public int LetterCount { get; set; }

    public Instant CreatedAt { get; set; }

    public Instant? DownloadedAt { get; set; }

    [NotFreeText("Who did it: a user name or API key name.")]
    public string? DownloadedBy { get; set; }

    public Instant? PostedAt { get; set; }

    [NotFreeText("Who did it: a user name or API key name.")]
    public string? PostedBy { get; set; }

    /// <summary>The id its messages carry as <see cref="OutboxMessage.ProviderMessageId"/>.</summary>
    public static string ProviderId(long batchId) => $"letter-batch:{batchId}";
}

/// <summary>One letter in a batch, as it will be printed: the rendered text and the address it was added with.</summary>
public sealed class BatchedLetter
{
    public long Id { get; set; }

    public long BatchId { get; set; }

    /// <summary>The outbox message: unique, so a message is in one batch at most, whatever the retries.</summary>
    public long MessageId { get; set; }

    public long AccountId { get; set; }

    [NotFreeText("An account reference, checked where it enters.")]
    public required string AccountReference { get; set; }

    /// <summary>Name and address lines, one a line, as they go in the envelope window.</summary>
    [FreeText]
    public required string Address { get; set; }

    [FreeText]
    public string? Subject { get; set; }

    [FreeText]
    public required string Text { get; set; }

    [NotFreeText("A language tag Dunwell wrote.")]
    public required string Language { get; set; }

    public Instant AddedAt { get; set; }
}

internal sealed class LetterBatchConfiguration : IEntityTypeConfiguration<LetterBatch>
{
    public void Configure(EntityTypeBuilder<LetterBatch> batch)
    {
        batch.ToTable("letter_batches");
        batch.Property(b => b.PaperSize).HasMaxLength(16);
        batch.Property(b => b.DownloadedBy).HasMaxLength(256);
        batch.Property(b => b.PostedBy).HasMaxLength(256);
        batch.HasIndex(b => b.OpenFor).IsUnique();
        batch.HasIndex(b => new { b.CreditorId, b.CreatedAt });
        batch.HasOne<Creditor>().WithMany().HasForeignKey(b => b.CreditorId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class BatchedLetterConfiguration : IEntityTypeConfiguration<BatchedLetter>
{
    public void Configure(EntityTypeBuilder<BatchedLetter> letter)
    {
        letter.ToTable("batched_letters");
        letter.Property(l => l.AccountReference).HasMaxLength(100);
        letter.Property(l => l.Address).HasMaxLength(1000);
        letter.Property(l => l.Subject).HasMaxLength(500);
        letter.Property(l => l.Language).HasMaxLength(35);
        letter.HasIndex(l => l.MessageId).IsUnique();
        letter.HasIndex(l => l.BatchId);
        letter.HasOne<LetterBatch>().WithMany().HasForeignKey(l => l.BatchId).OnDelete(DeleteBehavior.Restrict);
        letter.HasOne<OutboxMessage>().WithMany().HasForeignKey(l => l.MessageId).OnDelete(DeleteBehavior.Restrict);
        letter.HasOne<Account>().WithMany().HasForeignKey(l => l.AccountId).OnDelete(DeleteBehavior.Restrict);
    }
}
