using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using NodaTime;

namespace Dunwell.Data;

/// <summary>
/// The one DbContext. Provider-neutral: the two subclasses below exist only so that EF Core keeps
/// one migration set per provider (Data/Migrations/Sqlite and Data/Migrations/Postgres).
/// </summary>
public class DunwellDb(DbContextOptions options, CreditorScope scope) : IdentityDbContext<DunwellUser>(options), IDataProtectionKeyContext
{
    /// <summary>The creditors this unit of work may see; every creditor-owned table is filtered by it in SQL.</summary>
    public CreditorScope Scope { get; } = scope;

    /// <summary>Cookie and antiforgery keys live in the database so every app node can read every other node's cookies.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<Creditor> Creditors => Set<Creditor>();

    public DbSet<Debtor> Debtors => Set<Debtor>();

    public DbSet<DebtorContact> DebtorContacts => Set<DebtorContact>();

    public DbSet<DebtorFlag> DebtorFlags => Set<DebtorFlag>();

    public DbSet<Account> Accounts => Set<Account>();

    public DbSet<LedgerEntry> Ledger => Set<LedgerEntry>();

    public DbSet<PaymentReference> PaymentReferences => Set<PaymentReference>();

    public DbSet<Interaction> Interactions => Set<Interaction>();

    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();

    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();

    public DbSet<IdempotencyRecord> IdempotencyRecords => Set<IdempotencyRecord>();

    public DbSet<ImportRun> ImportRuns => Set<ImportRun>();

    public DbSet<CreditorPolicyVersion> PolicyVersions => Set<CreditorPolicyVersion>();

    public DbSet<Arrangement> Arrangements => Set<Arrangement>();

    public DbSet<ArrangementInstalment> Instalments => Set<ArrangementInstalment>();

    public DbSet<WorkTask> Tasks => Set<WorkTask>();

    public DbSet<OutboxMessage> Outbox => Set<OutboxMessage>();

    public DbSet<DeliveryAttempt> DeliveryAttempts => Set<DeliveryAttempt>();

    public DbSet<ReferenceRateEntry> ReferenceRates => Set<ReferenceRateEntry>();

    public DbSet<ReferenceRateWithdrawal> ReferenceRateWithdrawals => Set<ReferenceRateWithdrawal>();

    public DbSet<Dispute> Disputes => Set<Dispute>();

    public DbSet<Features.Messages.Letters.LetterBatch> LetterBatches => Set<Features.Messages.Letters.LetterBatch>();

    public DbSet<Features.Messages.Letters.BatchedLetter> BatchedLetters => Set<Features.Messages.Letters.BatchedLetter>();

    public DbSet<InboundMessage> InboundMessages => Set<InboundMessage>();

    public DbSet<InboundMailboxCursor> InboundMailboxCursors => Set<InboundMailboxCursor>();

    public DbSet<InboundReply> InboundReplies => Set<InboundReply>();

    public DbSet<TemplateVersion> Templates => Set<TemplateVersion>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(DunwellDb).Assembly);
        FilterByCreditorScope(builder);
    }

    /// <summary>
    /// Every creditor-owned table is filtered by <see cref="Scope"/> in the SQL itself: a creditor, its debtors and
    /// accounts directly, everything else through the account or debtor it belongs to. With every creditor in scope
    /// the list is null and EF Core drops the condition from the SQL, so batch work pays nothing for it.
    /// The filters are written here, against <c>this</c>, so EF Core reads the scope of the context running each query.
    /// </summary>
    private void FilterByCreditorScope(ModelBuilder builder)
    {
        builder.Entity<Creditor>().HasQueryFilter(c => Scope.CreditorIds == null || Scope.CreditorIds.Contains(c.Id));
        builder.Entity<CreditorPolicyVersion>().HasQueryFilter(p => Scope.CreditorIds == null || Scope.CreditorIds.Contains(p.CreditorId));
        builder.Entity<Account>().HasQueryFilter(a => Scope.CreditorIds == null || Scope.CreditorIds.Contains(a.CreditorId));
        builder.Entity<Debtor>().HasQueryFilter(d => Scope.CreditorIds == null || Scope.CreditorIds.Contains(d.CreditorId));
        // The default set (no creditor) is everyone's; a creditor's own wording only its own users see.
        builder.Entity<TemplateVersion>().HasQueryFilter(t => Scope.CreditorIds == null || t.CreditorId == null || Scope.CreditorIds.Contains(t.CreditorId.Value));
        builder.Entity<PaymentReference>().HasQueryFilter(r => Scope.CreditorIds == null || Scope.CreditorIds.Contains(r.CreditorId));

        builder.Entity<DebtorContact>().HasQueryFilter(c => Scope.CreditorIds == null
            || Set<Debtor>().Any(d => d.Id == c.DebtorId && Scope.CreditorIds.Contains(d.CreditorId)));
        builder.Entity<DebtorFlag>().HasQueryFilter(f => Scope.CreditorIds == null
            || Set<Debtor>().Any(d => d.Id == f.DebtorId && Scope.CreditorIds.Contains(d.CreditorId)));
        builder.Entity<DebtorInconvenientTime>().HasQueryFilter(t => Scope.CreditorIds == null
            || Set<Debtor>().Any(d => d.Id == t.DebtorId && Scope.CreditorIds.Contains(d.CreditorId)));

        builder.Entity<LedgerEntry>().HasQueryFilter(e => Scope.CreditorIds == null
            || Set<Account>().Any(a => a.Id == e.AccountId && Scope.CreditorIds.Contains(a.CreditorId)));
        builder.Entity<Interaction>().HasQueryFilter(i => Scope.CreditorIds == null
            || Set<Account>().Any(a => a.Id == i.AccountId && Scope.CreditorIds.Contains(a.CreditorId)));
        builder.Entity<Dispute>().HasQueryFilter(d => Scope.CreditorIds == null
            || Set<Account>().Any(a => a.Id == d.AccountId && Scope.CreditorIds.Contains(a.CreditorId)));
        builder.Entity<Arrangement>().HasQueryFilter(r => Scope.CreditorIds == null
            || Set<Account>().Any(a => a.Id == r.AccountId && Scope.CreditorIds.Contains(a.CreditorId)));
        builder.Entity<ArrangementInstalment>().HasQueryFilter(i => Scope.CreditorIds == null
            || Set<Arrangement>().Any(r => r.Id == i.ArrangementId
                && Set<Account>().Any(a => a.Id == r.AccountId && Scope.CreditorIds.Contains(a.CreditorId))));
        builder.Entity<WorkTask>().HasQueryFilter(t => Scope.CreditorIds == null
            || Set<Account>().Any(a => a.Id == t.AccountId && Scope.CreditorIds.Contains(a.CreditorId)));
        builder.Entity<OutboxMessage>().HasQueryFilter(m => Scope.CreditorIds == null
            || Set<Account>().Any(a => a.Id == m.AccountId && Scope.CreditorIds.Contains(a.CreditorId)));
        builder.Entity<Features.Messages.Letters.LetterBatch>().HasQueryFilter(b => Scope.CreditorIds == null || Scope.CreditorIds.Contains(b.CreditorId));
        builder.Entity<Features.Messages.Letters.BatchedLetter>().HasQueryFilter(l => Scope.CreditorIds == null
            || Set<Account>().Any(a => a.Id == l.AccountId && Scope.CreditorIds.Contains(a.CreditorId)));

        // An inbound message whose creditor is not known yet is seen only by callers acting for every creditor.
        builder.Entity<InboundMessage>().HasQueryFilter(m => Scope.CreditorIds == null
            || (m.CreditorId != null && Scope.CreditorIds.Contains(m.CreditorId.Value)));
        builder.Entity<InboundReply>().HasQueryFilter(r => Scope.CreditorIds == null
            || Set<Account>().Any(a => a.Id == r.AccountId && Scope.CreditorIds.Contains(a.CreditorId)));
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // One portable mapping for both providers: timestamptz/date on PostgreSQL, ISO-8601 text on SQLite (which sorts correctly).
        configurationBuilder.Properties<Instant>().HaveConversion<InstantAsUtcDateTime>();
        configurationBuilder.Properties<LocalDate>().HaveConversion<LocalDateAsDateOnly>();
        configurationBuilder.Properties<LocalTime>().HaveConversion<LocalTimeAsTimeOnly>();
        configurationBuilder.Properties<Enum>().HaveConversion<string>().HaveMaxLength(32);
    }

    /// <summary>Free-text fields in which a card number was masked by the saves of this unit of work, for the answer to say so.</summary>
    public IReadOnlyList<MaskedField> CardNumbersMasked => _cardNumbersMasked;

    private readonly List<MaskedField> _cardNumbersMasked = [];

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        CardNumberMasking.Apply(ChangeTracker, _cardNumbersMasked);
        RefuseRewritesOfAppendOnlyRows();
        // Chaining needs a few queries; the synchronous path waits for them (EF Core's own sync path does the same work).
        return Chains.ChainStamping.SaveAsync(this, () => Task.FromResult(base.SaveChanges(acceptAllChangesOnSuccess)), CancellationToken.None)
            .GetAwaiter().GetResult();
    }

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        CardNumberMasking.Apply(ChangeTracker, _cardNumbersMasked);
        RefuseRewritesOfAppendOnlyRows();
        return Chains.ChainStamping.SaveAsync(this, () => base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken), cancellationToken);
    }

    private void RefuseRewritesOfAppendOnlyRows()
    {
        var rewritten = ChangeTracker.Entries<IAppendOnly>()
            .FirstOrDefault(e => e.State is EntityState.Modified or EntityState.Deleted);
        if (rewritten is not null)
        {
            throw new AppendOnlyViolationException(
                $"{rewritten.Metadata.ClrType.Name} rows are append-only; record a correcting entry instead.");
        }
    }
}

/// <summary>A bug: something tried to change or delete a ledger entry, interaction or audit event.</summary>
public sealed class AppendOnlyViolationException(string message) : InvalidOperationException(message);

public sealed class SqliteDunwellDb(DbContextOptions<SqliteDunwellDb> options, CreditorScope scope) : DunwellDb(options, scope);

public sealed class PostgresDunwellDb(DbContextOptions<PostgresDunwellDb> options, CreditorScope scope) : DunwellDb(options, scope);

internal sealed class InstantAsUtcDateTime() : ValueConverter<Instant, DateTime>(
    instant => instant.ToDateTimeUtc(),
    utc => Instant.FromDateTimeUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc)));

internal sealed class LocalDateAsDateOnly() : ValueConverter<LocalDate, DateOnly>(
    date => date.ToDateOnly(),
    date => LocalDate.FromDateOnly(date));

internal sealed class LocalTimeAsTimeOnly() : ValueConverter<LocalTime, TimeOnly>(
    time => time.ToTimeOnly(),
    time => LocalTime.FromTimeOnly(time));
