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
public class DunwellDb(DbContextOptions options) : IdentityDbContext<DunwellUser>(options), IDataProtectionKeyContext
{
    /// <summary>Cookie and antiforgery keys live in the database so every app node can read every other node's cookies.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<Creditor> Creditors => Set<Creditor>();

    public DbSet<Debtor> Debtors => Set<Debtor>();

    public DbSet<DebtorContact> DebtorContacts => Set<DebtorContact>();

    public DbSet<DebtorFlag> DebtorFlags => Set<DebtorFlag>();

    public DbSet<Account> Accounts => Set<Account>();

    public DbSet<LedgerEntry> Ledger => Set<LedgerEntry>();

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

    public DbSet<ReferenceRateEntry> ReferenceRates => Set<ReferenceRateEntry>();

    public DbSet<Dispute> Disputes => Set<Dispute>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(DunwellDb).Assembly);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // One portable mapping for both providers: timestamptz/date on PostgreSQL, ISO-8601 text on SQLite (which sorts correctly).
        configurationBuilder.Properties<Instant>().HaveConversion<InstantAsUtcDateTime>();
        configurationBuilder.Properties<LocalDate>().HaveConversion<LocalDateAsDateOnly>();
        configurationBuilder.Properties<LocalTime>().HaveConversion<LocalTimeAsTimeOnly>();
        configurationBuilder.Properties<Enum>().HaveConversion<string>().HaveMaxLength(32);
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        RefuseRewritesOfAppendOnlyRows();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        RefuseRewritesOfAppendOnlyRows();
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
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

public sealed class SqliteDunwellDb(DbContextOptions<SqliteDunwellDb> options) : DunwellDb(options);

public sealed class PostgresDunwellDb(DbContextOptions<PostgresDunwellDb> options) : DunwellDb(options);

internal sealed class InstantAsUtcDateTime() : ValueConverter<Instant, DateTime>(
    instant => instant.ToDateTimeUtc(),
    utc => Instant.FromDateTimeUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc)));

internal sealed class LocalDateAsDateOnly() : ValueConverter<LocalDate, DateOnly>(
    date => date.ToDateOnly(),
    date => LocalDate.FromDateOnly(date));

internal sealed class LocalTimeAsTimeOnly() : ValueConverter<LocalTime, TimeOnly>(
    time => time.ToTimeOnly(),
    time => LocalTime.FromTimeOnly(time));
