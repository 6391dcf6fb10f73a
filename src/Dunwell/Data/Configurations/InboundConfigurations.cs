using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Dunwell.Data.Configurations;

internal sealed class InboundMessageConfiguration : IEntityTypeConfiguration<InboundMessage>
{
    public void Configure(EntityTypeBuilder<InboundMessage> message)
    {
        message.ToTable("inbound_messages");
        message.Property(m => m.SourceKey).HasMaxLength(600);
        message.HasIndex(m => m.SourceKey).IsUnique(); // recorded once, however often the mailbox or the webhook delivers it
        message.Property(m => m.From).HasMaxLength(320);
        message.Property(m => m.To).HasMaxLength(320);
        message.Property(m => m.Subject).HasMaxLength(500);
        message.Property(m => m.Body).HasMaxLength(20_000);
        message.Property(m => m.MessageIdHeader).HasMaxLength(500);
        message.Property(m => m.InReplyTo).HasMaxLength(4000);
        message.Property(m => m.MatchedBy).HasMaxLength(32);
        message.Property(m => m.TriageReason).HasMaxLength(1000);
        message.Property(m => m.AssignedBy).HasMaxLength(256);
        message.Property(m => m.Flags).HasConversion<int>();
        message.HasIndex(m => m.MessageIdHeader);
        message.HasIndex(m => new { m.State, m.ReceivedAt });
        message.HasIndex(m => m.AccountId);
        message.HasOne<Creditor>().WithMany().HasForeignKey(m => m.CreditorId).OnDelete(DeleteBehavior.Restrict);
        message.HasOne<Account>().WithMany().HasForeignKey(m => m.AccountId).OnDelete(DeleteBehavior.Restrict);
        message.HasOne<Debtor>().WithMany().HasForeignKey(m => m.DebtorId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class InboundMailboxCursorConfiguration : IEntityTypeConfiguration<InboundMailboxCursor>
{
    public void Configure(EntityTypeBuilder<InboundMailboxCursor> cursor)
    {
        cursor.ToTable("inbound_mailbox_cursors");
        cursor.HasKey(c => c.Mailbox);
        cursor.Property(c => c.Mailbox).HasMaxLength(600);
    }
}

internal sealed class InboundReplyConfiguration : IEntityTypeConfiguration<InboundReply>
{
    public void Configure(EntityTypeBuilder<InboundReply> reply)
    {
        reply.ToTable("inbound_replies");
        reply.Property(r => r.Subject).HasMaxLength(500);
        reply.Property(r => r.Text).HasMaxLength(4000);
        reply.Property(r => r.RepliedBy).HasMaxLength(256);
        reply.HasIndex(r => r.InboundMessageId).IsUnique(); // one reply per message: the rules allow one
        reply.HasIndex(r => r.OutboxMessageId).IsUnique();
        reply.HasOne<InboundMessage>().WithMany().HasForeignKey(r => r.InboundMessageId).OnDelete(DeleteBehavior.Restrict);
        reply.HasOne<Account>().WithMany().HasForeignKey(r => r.AccountId).OnDelete(DeleteBehavior.Restrict);
        reply.HasOne<OutboxMessage>().WithMany().HasForeignKey(r => r.OutboxMessageId).OnDelete(DeleteBehavior.Restrict);
    }
}
