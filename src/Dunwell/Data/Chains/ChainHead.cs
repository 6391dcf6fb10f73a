using System.Diagnostics.CodeAnalysis;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Dunwell.Data.Chains;

/// <summary>
/// The last link of one chain, written in the same transaction as the row it names. A chained row only proves its
/// predecessors; the head is what shows that rows were deleted from the end of a chain (or a whole chain). The heads of
/// an account's ledger and interactions are columns of the account's own row (<see cref="RecordChain.AccountHeads"/>),
/// which every writer of them already reads or writes; audit subjects have rows of their own in chain_heads.
/// </summary>
public sealed class ChainHead
{
    /// <summary>audit_events:{subject} in chain_heads; ledger_entries:{account id, 12 digits} or interactions:{…} for an account's heads.</summary>
    [NotFreeText("A table name and an account id or audit subject, built by Dunwell.")]
    public required string Chain { get; set; }

    /// <summary>How many rows the chain has: the position of its last row.</summary>
    public long Length { get; set; }

    public long LastId { get; set; }

    [SuppressMessage("Performance", "CA1819:Properties should not return arrays", Justification = "A binary column; EF Core maps byte[].")]
    public required byte[] LastHash { get; set; }
}

/// <summary>The chain columns on the three append-only tables and the accounts (shadow properties: the entities stay plain records), and the heads.</summary>
internal sealed class ChainConfiguration :
    IEntityTypeConfiguration<ChainHead>, IEntityTypeConfiguration<LedgerEntry>, IEntityTypeConfiguration<Interaction>, IEntityTypeConfiguration<AuditEvent>,
    IEntityTypeConfiguration<Account>
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

    // The length and last hash of the account's ledger and interaction chains (0 and null while a chain is empty).
    // Written only by the chain writers, never through the entity, so EF Core's own updates of an account leave them be.
    public void Configure(EntityTypeBuilder<Account> builder)
    {
        foreach (var head in RecordChain.AccountHeads.Values)
        {
            builder.Property<long>(head.LengthProperty).HasDefaultValue(0L);
            builder.Property<byte[]?>(head.HashProperty).HasMaxLength(RecordChain.HashLength);
        }
    }

    // No stored predecessor hash: the verifier takes it from the row before, so each row carries 32 bytes less.
    private static void Columns<T>(EntityTypeBuilder<T> builder)
        where T : class
    {
        builder.Property<long>(RecordChain.SeqColumn);
        builder.Property<byte[]>(RecordChain.HashColumn).HasMaxLength(RecordChain.HashLength).IsRequired();
    }
}
