using System.Diagnostics.CodeAnalysis;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Dunwell.Data.Chains;

/// <summary>
/// The last link of one chain, written in the same transaction as the row it names. A chained row only proves its
/// predecessors; the head is what shows that rows were deleted from the end of a chain (or a whole chain).
/// </summary>
public sealed class ChainHead
{
    /// <summary>ledger_entries:{account id, 12 digits}, interactions:{account id, 12 digits} or audit_events:{subject}.</summary>
    [NotFreeText("A table name and an account id or audit subject, built by Dunwell.")]
    public required string Chain { get; set; }

    /// <summary>How many rows the chain has: the position of its last row.</summary>
    public long Length { get; set; }

    public long LastId { get; set; }

    [SuppressMessage("Performance", "CA1819:Properties should not return arrays", Justification = "A binary column; EF Core maps byte[].")]
    public required byte[] LastHash { get; set; }
}

/// <summary>The chain columns on the three append-only tables (shadow properties: the entities stay plain records), and the heads.</summary>
internal sealed class ChainConfiguration :
    IEntityTypeConfiguration<ChainHead>, IEntityTypeConfiguration<LedgerEntry>, IEntityTypeConfiguration<Interaction>, IEntityTypeConfiguration<AuditEvent>
{
    public void Configure(EntityTypeBuilder<ChainHead> head)
    {
        head.ToTable("chain_heads");
        head.HasKey(h => h.Chain);
        head.Property(h => h.Chain).HasMaxLength(160);
        head.Property(h => h.LastHash).HasMaxLength(RecordChain.HashLength);
    }

    // No (chain, position) index: it cost an import a B-tree insert per row (bench/RESULTS.md). Forks are prevented by
    // the head lock, and a head only moves from the length it was read at (ChainStamping).
    public void Configure(EntityTypeBuilder<LedgerEntry> builder) => Columns(builder);

    public void Configure(EntityTypeBuilder<Interaction> builder) => Columns(builder);

    public void Configure(EntityTypeBuilder<AuditEvent> builder) => Columns(builder);

    private static void Columns<T>(EntityTypeBuilder<T> builder)
        where T : class
    {
        builder.Property<long>(RecordChain.SeqColumn);
        builder.Property<byte[]>(RecordChain.PrevColumn).HasMaxLength(RecordChain.HashLength).IsRequired();
        builder.Property<byte[]>(RecordChain.HashColumn).HasMaxLength(RecordChain.HashLength).IsRequired();
    }
}
