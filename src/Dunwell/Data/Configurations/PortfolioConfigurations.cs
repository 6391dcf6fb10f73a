using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Dunwell.Data.Configurations;

internal sealed class CreditorConfiguration : IEntityTypeConfiguration<Creditor>
{
    public void Configure(EntityTypeBuilder<Creditor> creditor)
    {
        creditor.ToTable("creditors");
        creditor.Property(c => c.Reference).HasMaxLength(64);
        creditor.HasIndex(c => c.Reference).IsUnique();
        creditor.Property(c => c.Name).HasMaxLength(200);
        creditor.Property(c => c.JurisdictionPack).HasMaxLength(16);
        creditor.Property(c => c.TimeZone).HasMaxLength(64);
        creditor.Property(c => c.DisplayName).HasMaxLength(200);
        creditor.Property(c => c.ContactEmail).HasMaxLength(320);
        creditor.Property(c => c.ContactPhone).HasMaxLength(32);
        creditor.Property(c => c.PostalAddress).HasMaxLength(500);
        creditor.Property(c => c.Website).HasMaxLength(200);
        creditor.Property(c => c.SenderName).HasMaxLength(200);
        creditor.Property(c => c.SenderEmail).HasMaxLength(320);
        creditor.Property(c => c.SmsSender).HasMaxLength(32);
        creditor.Property(c => c.AccentColour).HasMaxLength(7);
    }
}

internal sealed class DebtorConfiguration : IEntityTypeConfiguration<Debtor>
{
    public void Configure(EntityTypeBuilder<Debtor> debtor)
    {
        debtor.ToTable("debtors");
        debtor.Property(d => d.Reference).HasMaxLength(64);
        debtor.HasIndex(d => new { d.CreditorId, d.Reference }).IsUnique();
        debtor.HasOne(d => d.Creditor).WithMany().HasForeignKey(d => d.CreditorId).OnDelete(DeleteBehavior.Restrict);
        debtor.Property(d => d.Name).HasMaxLength(200);
        debtor.Property(d => d.SearchName).HasMaxLength(200);
        debtor.HasIndex(d => d.SearchName);
        debtor.Property(d => d.Country).HasMaxLength(2).IsFixedLength();
        debtor.Property(d => d.TimeZone).HasMaxLength(64);
        debtor.Property(d => d.AddressTimeZone).HasMaxLength(64);
        debtor.Property(d => d.LocationTimeZone).HasMaxLength(64);
        debtor.HasMany(d => d.InconvenientTimes).WithOne().HasForeignKey(t => t.DebtorId).OnDelete(DeleteBehavior.Cascade);
        debtor.Property(d => d.Language).HasMaxLength(35);
        debtor.Property(d => d.ToneNotes).HasMaxLength(1000);
        debtor.HasMany(d => d.Contacts).WithOne().HasForeignKey(c => c.DebtorId).OnDelete(DeleteBehavior.Cascade);
        debtor.HasMany(d => d.Flags).WithOne().HasForeignKey(f => f.DebtorId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class DebtorContactConfiguration : IEntityTypeConfiguration<DebtorContact>
{
    public void Configure(EntityTypeBuilder<DebtorContact> contact)
    {
        contact.ToTable("debtor_contacts");
        contact.Property(c => c.Value).HasMaxLength(320);
        contact.Property(c => c.Label).HasMaxLength(32);
        contact.Property(c => c.UndeliverableReason).HasMaxLength(1000);
        contact.Property(c => c.TimeZone).HasMaxLength(64);

        // Search by email or phone goes through this index.
        contact.HasIndex(c => c.Value);
        contact.HasIndex(c => new { c.DebtorId, c.Kind, c.Value }).IsUnique();
    }
}

internal sealed class DebtorFlagConfiguration : IEntityTypeConfiguration<DebtorFlag>
{
    public void Configure(EntityTypeBuilder<DebtorFlag> flag)
    {
        flag.ToTable("debtor_flags");
        flag.Property(f => f.Note).HasMaxLength(1000);
        flag.Property(f => f.RecordedBy).HasMaxLength(128);
        flag.HasIndex(f => new { f.DebtorId, f.Kind });
    }
}

internal sealed class AccountConfiguration : IEntityTypeConfiguration<Account>
{
    public void Configure(EntityTypeBuilder<Account> account)
    {
        account.ToTable("accounts");
        account.Property(a => a.Reference).HasMaxLength(64);
        account.HasIndex(a => a.Reference).IsUnique();
        account.Property(a => a.Currency).HasMaxLength(3).IsFixedLength();
        account.Property(a => a.OriginalCreditor).HasMaxLength(200);
        account.Property(a => a.AssignedAgent).HasMaxLength(256);
        account.Property(a => a.StrategyStep).HasMaxLength(64);
        account.Property(a => a.PlacementHash).HasMaxLength(32);
        account.HasOne(a => a.Creditor).WithMany().HasForeignKey(a => a.CreditorId).OnDelete(DeleteBehavior.Restrict);
        account.HasOne(a => a.Debtor).WithMany().HasForeignKey(a => a.DebtorId).OnDelete(DeleteBehavior.Restrict);
        account.HasIndex(a => a.DebtorId);
        account.HasIndex(a => new { a.Status, a.DueDate });
    }
}

internal sealed class DebtorInconvenientTimeConfiguration : IEntityTypeConfiguration<DebtorInconvenientTime>
{
    public void Configure(EntityTypeBuilder<DebtorInconvenientTime> time)
    {
        time.ToTable("debtor_inconvenient_times");
        time.Property(t => t.Days).HasMaxLength(32);
    }
}

internal sealed class DisputeConfiguration : IEntityTypeConfiguration<Dispute>
{
    public void Configure(EntityTypeBuilder<Dispute> dispute)
    {
        dispute.ToTable("disputes");
        dispute.Property(d => d.Note).HasMaxLength(1000);
        dispute.Property(d => d.RecordedBy).HasMaxLength(256);
        dispute.Property(d => d.VerifiedBy).HasMaxLength(256);
        dispute.HasIndex(d => d.AccountId);
        dispute.HasOne<Account>().WithMany().HasForeignKey(d => d.AccountId).OnDelete(DeleteBehavior.Restrict);
    }
}
