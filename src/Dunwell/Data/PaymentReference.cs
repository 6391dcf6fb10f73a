using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Dunwell.Data;

/// <summary>
/// A payment reference a creditor has used, and the payment entry that holds it. Its key (creditor, reference) makes a
/// reference post once per creditor whichever way it arrives (API, account page, payment file), whatever the
/// Idempotency-Key. Written in the same transaction as its ledger entry; append-only, so a reversed payment keeps its
/// reference (the ledger has no creditor column, and a reversal copies the reference, hence a table of its own).
/// </summary>
public sealed class PaymentReference : IAppendOnly
{
    public long CreditorId { get; init; }

    /// <summary>Masked exactly as the ledger entry's reference is, so the two always agree.</summary>
    [FreeText(CopyOf = nameof(LedgerEntry.Reference))]
    public required string Reference { get; init; }

    public long LedgerEntryId { get; init; }

    public LedgerEntry? Entry { get; init; }
}

internal sealed class PaymentReferenceConfiguration : IEntityTypeConfiguration<PaymentReference>
{
    public void Configure(EntityTypeBuilder<PaymentReference> reference)
    {
        reference.ToTable("payment_references");
        reference.HasKey(r => new { r.CreditorId, r.Reference });
        reference.Property(r => r.Reference).HasMaxLength(128);
        reference.HasOne<Creditor>().WithMany().HasForeignKey(r => r.CreditorId).OnDelete(DeleteBehavior.Restrict);
        reference.HasOne(r => r.Entry).WithOne().HasForeignKey<PaymentReference>(r => r.LedgerEntryId).OnDelete(DeleteBehavior.Restrict);
    }
}
