using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Dunwell.Data.Configurations;

internal sealed class LedgerEntryConfiguration : IEntityTypeConfiguration<LedgerEntry>
{
    public void Configure(EntityTypeBuilder<LedgerEntry> entry)
    {
        entry.ToTable("ledger_entries");
        entry.Ignore(e => e.Amount);
        entry.Property(e => e.Currency).HasMaxLength(3).IsFixedLength();
        entry.Property(e => e.PostedBy).HasMaxLength(256);
        entry.Property(e => e.IdempotencyKey).HasMaxLength(200);
        entry.Property(e => e.Method).HasMaxLength(32);
        entry.Property(e => e.Reference).HasMaxLength(128);
        entry.Property(e => e.Note).HasMaxLength(1000);

        // Balances and the ledger view read an account's entries in date order.
        entry.HasIndex(e => new { e.AccountId, e.ValueDate });

        // A posting keyed by an external reference happens once (NULLs do not collide on either provider).
        entry.HasIndex(e => e.IdempotencyKey).IsUnique();

        entry.HasOne<Account>().WithMany().HasForeignKey(e => e.AccountId).OnDelete(DeleteBehavior.Restrict);

        // A reversal names the entry it reverses; an entry can be reversed at most once.
        entry.HasOne<LedgerEntry>().WithMany().HasForeignKey(e => e.ReversesEntryId).OnDelete(DeleteBehavior.Restrict);
        entry.HasIndex(e => e.ReversesEntryId).IsUnique();
    }
}

internal sealed class InteractionConfiguration : IEntityTypeConfiguration<Interaction>
{
    public void Configure(EntityTypeBuilder<Interaction> interaction)
    {
        interaction.ToTable("interactions");
        interaction.Property(i => i.Author).HasMaxLength(256);
        interaction.Property(i => i.Notes).HasMaxLength(4000);
        interaction.Property(i => i.ComplianceException).HasMaxLength(2000);
        interaction.Property(i => i.AlsoAbout).HasMaxLength(InteractionAccounts.MaxStored);
        // No foreign key to the contact: interactions are never rewritten, and a contact may be removed later.
        interaction.HasIndex(i => new { i.AccountId, i.OccurredAt });
        interaction.HasIndex(i => new { i.DebtorId, i.OccurredAt });
        interaction.HasOne<Account>().WithMany().HasForeignKey(i => i.AccountId).OnDelete(DeleteBehavior.Restrict);
        interaction.HasOne<Debtor>().WithMany().HasForeignKey(i => i.DebtorId).OnDelete(DeleteBehavior.Restrict);
        interaction.HasOne<Interaction>().WithMany().HasForeignKey(i => i.CorrectsInteractionId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> key)
    {
        key.ToTable("api_keys");
        key.Property(k => k.Name).HasMaxLength(100);
        key.HasIndex(k => k.Name).IsUnique();
        key.Property(k => k.Role).HasMaxLength(32);
        key.Property(k => k.Prefix).HasMaxLength(32);
        key.HasIndex(k => k.Prefix).IsUnique();
        key.Property(k => k.SecretHash).HasMaxLength(64);
        key.HasMany(k => k.Creditors).WithOne().HasForeignKey(c => c.ApiKeyId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ApiKeyCreditorConfiguration : IEntityTypeConfiguration<ApiKeyCreditor>
{
    public void Configure(EntityTypeBuilder<ApiKeyCreditor> grant)
    {
        grant.ToTable("api_key_creditors");
        grant.HasKey(g => new { g.ApiKeyId, g.CreditorId });
        grant.HasOne<Creditor>().WithMany().HasForeignKey(g => g.CreditorId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class UserCreditorConfiguration : IEntityTypeConfiguration<UserCreditor>
{
    public void Configure(EntityTypeBuilder<UserCreditor> grant)
    {
        grant.ToTable("user_creditors");
        grant.HasKey(g => new { g.UserId, g.CreditorId });
        grant.HasOne<DunwellUser>().WithMany(u => u.Creditors).HasForeignKey(g => g.UserId).OnDelete(DeleteBehavior.Cascade);
        grant.HasOne<Creditor>().WithMany().HasForeignKey(g => g.CreditorId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class AuditEventConfiguration : IEntityTypeConfiguration<AuditEvent>
{
    public void Configure(EntityTypeBuilder<AuditEvent> audit)
    {
        audit.ToTable("audit_events");
        audit.Property(a => a.Actor).HasMaxLength(256);
        audit.Property(a => a.Action).HasMaxLength(64);
        audit.Property(a => a.Subject).HasMaxLength(128);
        audit.Property(a => a.Detail).HasMaxLength(2000);
        audit.HasIndex(a => new { a.Subject, a.At });
        audit.HasIndex(a => a.At);
        audit.Property(a => a.SpoolId).HasMaxLength(36);
        audit.HasIndex(a => a.SpoolId).IsUnique();

        // The audit trail is read by actor and by action over time.
        audit.HasIndex(a => new { a.Actor, a.At });
        audit.HasIndex(a => new { a.Action, a.At });
    }
}

internal sealed class IdempotencyRecordConfiguration : IEntityTypeConfiguration<IdempotencyRecord>
{
    public void Configure(EntityTypeBuilder<IdempotencyRecord> record)
    {
        record.ToTable("idempotency_records");
        record.HasKey(r => r.Key);
        record.Property(r => r.Key).HasMaxLength(400);
        record.Property(r => r.RequestHash).HasMaxLength(64);
        record.Property(r => r.Location).HasMaxLength(400);
    }
}

internal sealed class ImportRunConfiguration : IEntityTypeConfiguration<ImportRun>
{
    public void Configure(EntityTypeBuilder<ImportRun> run)
    {
        run.ToTable("import_runs");
        run.Property(r => r.Kind).HasMaxLength(16);
        run.Property(r => r.Source).HasMaxLength(400);
        run.Property(r => r.Sha256).HasMaxLength(64);
        run.Property(r => r.StartedBy).HasMaxLength(256);
    }
}
