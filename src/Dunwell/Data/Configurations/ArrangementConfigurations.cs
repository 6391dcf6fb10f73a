using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Dunwell.Data.Configurations;

internal sealed class CreditorPolicyVersionConfiguration : IEntityTypeConfiguration<CreditorPolicyVersion>
{
    public void Configure(EntityTypeBuilder<CreditorPolicyVersion> version)
    {
        version.ToTable("creditor_policy_versions");
        version.HasIndex(v => new { v.CreditorId, v.Version }).IsUnique();
        version.Property(v => v.CreatedBy).HasMaxLength(256);
        version.HasOne<Creditor>().WithMany().HasForeignKey(v => v.CreditorId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class ArrangementConfiguration : IEntityTypeConfiguration<Arrangement>
{
    public void Configure(EntityTypeBuilder<Arrangement> arrangement)
    {
        arrangement.ToTable("arrangements");
        arrangement.Property(a => a.Currency).HasMaxLength(3).IsFixedLength();
        arrangement.Property(a => a.CreatedBy).HasMaxLength(256);
        arrangement.Property(a => a.CreatedByRole).HasMaxLength(32);
        arrangement.Property(a => a.DecidedBy).HasMaxLength(256);
        arrangement.Property(a => a.DecisionNote).HasMaxLength(1000);
        arrangement.HasIndex(a => new { a.AccountId, a.State });
        arrangement.HasIndex(a => a.State);
        arrangement.HasOne<Account>().WithMany().HasForeignKey(a => a.AccountId).OnDelete(DeleteBehavior.Restrict);
        arrangement.HasOne<CreditorPolicyVersion>().WithMany().HasForeignKey(a => a.PolicyVersionId).OnDelete(DeleteBehavior.Restrict);
        arrangement.HasMany(a => a.Instalments).WithOne().HasForeignKey(i => i.ArrangementId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ArrangementInstalmentConfiguration : IEntityTypeConfiguration<ArrangementInstalment>
{
    public void Configure(EntityTypeBuilder<ArrangementInstalment> instalment)
    {
        instalment.ToTable("arrangement_instalments");
        instalment.HasIndex(i => new { i.ArrangementId, i.Number }).IsUnique();
        instalment.HasIndex(i => i.DueOn);
    }
}

internal sealed class WorkTaskConfiguration : IEntityTypeConfiguration<WorkTask>
{
    public void Configure(EntityTypeBuilder<WorkTask> task)
    {
        task.ToTable("work_tasks");
        task.Property(t => t.AssignedTo).HasMaxLength(256);
        task.Property(t => t.Title).HasMaxLength(200);
        task.Property(t => t.Note).HasMaxLength(2000);
        task.Property(t => t.Cause).HasMaxLength(200);
        task.Property(t => t.ClosedBy).HasMaxLength(256);
        task.HasIndex(t => t.Cause).IsUnique();
        task.HasIndex(t => new { t.AssignedTo, t.ClosedAt, t.DueAt });
        task.HasOne<Account>().WithMany().HasForeignKey(t => t.AccountId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class OutboxMessageConfiguration : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> message)
    {
        message.ToTable("outbox_messages");
        message.Property(m => m.TemplateKey).HasMaxLength(100);
        message.Property(m => m.IdempotencyKey).HasMaxLength(200);
        message.Property(m => m.HeldReason).HasMaxLength(OutboxMessage.MaxHeldReason);
        message.HasIndex(m => m.IdempotencyKey).IsUnique();
        message.HasIndex(m => new { m.State, m.SendAfter });
        message.HasOne<Account>().WithMany().HasForeignKey(m => m.AccountId).OnDelete(DeleteBehavior.Restrict);
        message.Property(m => m.QueuedBy).HasMaxLength(256);
        message.Property(m => m.Subject).HasMaxLength(500);
        message.Property(m => m.Language).HasMaxLength(35);
        message.Property(m => m.Recipient).HasMaxLength(320);
        message.Property(m => m.LintVerdict).HasMaxLength(8);
        message.Property(m => m.QueueDecision).HasMaxLength(4000);
        message.Property(m => m.SendDecision).HasMaxLength(4000);
        message.Property(m => m.ClaimToken).HasMaxLength(64).IsConcurrencyToken(); // a sender writes only while its claim holds
        message.HasIndex(m => m.ProviderMessageId);
        message.HasMany(m => m.DeliveryAttempts).WithOne().HasForeignKey(a => a.OutboxMessageId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class DeliveryAttemptConfiguration : IEntityTypeConfiguration<DeliveryAttempt>
{
    public void Configure(EntityTypeBuilder<DeliveryAttempt> attempt)
    {
        attempt.ToTable("delivery_attempts");
        attempt.Property(a => a.Outcome).HasMaxLength(16);
        attempt.Property(a => a.ProviderMessageId).HasMaxLength(200);
        attempt.Property(a => a.Evidence).HasMaxLength(4000);
        attempt.Property(a => a.ClaimToken).HasMaxLength(64);
        attempt.HasIndex(a => a.OutboxMessageId);
    }
}

internal sealed class ReferenceRateEntryConfiguration : IEntityTypeConfiguration<ReferenceRateEntry>
{
    public void Configure(EntityTypeBuilder<ReferenceRateEntry> rate)
    {
        rate.ToTable("reference_rates");
        rate.Property(r => r.Series).HasMaxLength(32);
        rate.Property(r => r.RecordedBy).HasMaxLength(256);
        rate.HasIndex(r => new { r.Series, r.EffectiveFrom }).IsUnique();
    }
}

internal sealed class ReferenceRateWithdrawalConfiguration : IEntityTypeConfiguration<ReferenceRateWithdrawal>
{
    public void Configure(EntityTypeBuilder<ReferenceRateWithdrawal> withdrawal)
    {
        withdrawal.ToTable("reference_rate_withdrawals");
        withdrawal.Property(w => w.Reason).HasMaxLength(500);
        withdrawal.Property(w => w.WithdrawnBy).HasMaxLength(256);
        // A rate is withdrawn at most once.
        withdrawal.HasIndex(w => w.RateId).IsUnique();
        withdrawal.HasOne<ReferenceRateEntry>().WithMany().HasForeignKey(w => w.RateId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class TemplateVersionConfiguration : IEntityTypeConfiguration<TemplateVersion>
{
    public void Configure(EntityTypeBuilder<TemplateVersion> template)
    {
        template.ToTable("template_versions");
        template.Property(t => t.Purpose).HasMaxLength(64);
        template.Property(t => t.Language).HasMaxLength(16);
        template.Property(t => t.Channel).HasMaxLength(16);
        template.Property(t => t.Variant).HasMaxLength(16);
        template.Property(t => t.Subject).HasMaxLength(1000);
        template.Property(t => t.SavedBy).HasMaxLength(256);
        // The composer looks up the newest version of one template; the version number is unique within it.
        template.HasIndex(t => new { t.CreditorId, t.Purpose, t.Channel, t.Language, t.Variant, t.Version }).IsUnique();
        template.HasOne<Creditor>().WithMany().HasForeignKey(t => t.CreditorId).OnDelete(DeleteBehavior.Restrict);
    }
}
