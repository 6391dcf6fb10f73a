using Dunwell.Data;
using Dunwell.Domain.Ledger;
using Dunwell.Features.Imports;
using Dunwell.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using NodaTime;
using static Dunwell.Tests.Features.Imports.ImportKit;

namespace Dunwell.Tests.Features.Imports;

/// <summary>
/// An import's rows, its run and its audit event are one record: they commit together or not at all (issue 9, finding 3).
/// Failures are injected where a real one would strike after the rows are written: the save of the run or of its audit
/// event (a full disk, a lost connection).
/// </summary>
public sealed class ImportRecordTests
{
    private static readonly Instant Now = Instant.FromUtc(2026, 3, 2, 9, 0);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("sqlite", "run")]
    [InlineData("sqlite", "audit")]
    [InlineData("postgres", "run")]
    [InlineData("postgres", "audit")]
    public async Task A_placement_import_that_fails_after_its_rows_leaves_nothing_of_itself(string provider, string failAt)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var before = await SnapshotAsync(app);

        await using (var db = Open(database, failAt == "run" ? new FailOnSave<ImportRun>() : new FailOnSave<AuditEvent>()))
        {
            var failure = await Record.ExceptionAsync(() =>
                ImportPlacements.RunAsync(db, app.Clock, Utf8(Csv(PlacementHeader, Row("A-1", "D-1"), Row("A-2", "D-2"))), Options("placements.csv"), Cancel));
            Assert.IsType<InjectedFailure>(failure);
        }

        Assert.Equal(before, await SnapshotAsync(app));
        Assert.Equal((0, 0), await RecordsAsync(app));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_payment_import_that_fails_after_its_rows_posts_nothing_and_leaves_the_account_as_it_was(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        Assert.True((await PlacementsAsync(app, Csv(PlacementHeader, Row("A-1", "D-1", ("principal", "10"), ("interest", "0"), ("fees", "0"))))).Applied);
        var before = await SnapshotAsync(app);

        await using (var db = Open(database, new FailOnSave<AuditEvent>()))
        {
            var failure = await Record.ExceptionAsync(() =>
                ImportPayments.RunAsync(db, app.Clock, Utf8(Csv(PaymentHeader, "A-1,10.00,USD,2026-02-20,card,R-1")), Options("payments.csv"), Cancel));
            Assert.IsType<InjectedFailure>(failure);
        }

        Assert.Equal(before, await SnapshotAsync(app));
        Assert.Equal((1, 1), await RecordsAsync(app)); // the placement import's run and audit event only
        await app.WithDbAsync(async db =>
        {
            var account = await db.Accounts.SingleAsync(Cancel);
            Assert.Equal((Domain.Accounts.AccountStatus.Active, null), (account.Status, account.LastPaymentDate));
            Assert.False(await db.Ledger.AnyAsync(e => e.Kind == LedgerEntryKind.Payment, Cancel));
        });
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Applied_and_rejected_imports_each_leave_their_run_with_an_audit_event_that_names_it(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);

        var placements = await PlacementsAsync(app, Csv(PlacementHeader, Row("A-1", "D-1"), Row("A-2", "D-2")));
        var payments = await PaymentsAsync(app, Csv(PaymentHeader, "A-1,10.00,USD,2026-02-20,card,R-1"));
        var rejected = await PaymentsAsync(app, Csv(PaymentHeader, "A-1,10.00,USD,2026-02-20,card,R-2", "A-9,1.00,USD,2026-02-20,card,R-3"));

        Assert.Equal((true, true, false), (placements.Applied, payments.Applied, rejected.Applied));
        await app.WithDbAsync(async db =>
        {
            var runs = await db.ImportRuns.OrderBy(r => r.Id).ToListAsync(Cancel);
            Assert.Equal([placements.RunId, payments.RunId, rejected.RunId], runs.Select(r => r.Id));
            Assert.Equal([(2, 0), (1, 0), (0, 1)], runs.Select(r => (r.Created, r.Rejected)));

            var audits = await db.AuditEvents.Where(e => e.Action.StartsWith("import.")).OrderBy(e => e.Id).ToListAsync(Cancel);
            Assert.Equal(runs.Select(r => $"import:{r.Id}"), audits.Select(e => e.Subject));
            Assert.Equal(["import.placements", "import.payments", "import.payments"], audits.Select(e => e.Action));
            Assert.Equal(["applied", "applied", "rejected"], audits.Select(e => e.Detail!.Split(';')[0]));

            Assert.Equal(2, await db.Accounts.CountAsync(Cancel));
            Assert.Equal(["R-1"], await db.Ledger.Where(e => e.Kind == LedgerEntryKind.Payment).Select(e => e.Reference).ToListAsync(Cancel));
        });
    }

    private static ImportOptions Options(string source) => new(source, "system:test", SkipInvalid: false);

    private static Task<(int Runs, int AuditEvents)> RecordsAsync(TestApp app) => app.WithDbAsync(async db =>
        (await db.ImportRuns.CountAsync(Cancel), await db.AuditEvents.CountAsync(e => e.Action.StartsWith("import."), Cancel)));

    /// <summary>A context of its own on the test's database, with the failure to inject.</summary>
    private static DunwellDb Open(TestDatabase database, IInterceptor failure)
    {
        if (database.Provider == "sqlite")
        {
            var sqlite = new DbContextOptionsBuilder<SqliteDunwellDb>();
            DatabaseSetup.ConfigureSqlite(sqlite, database.ConnectionString);
            return new SqliteDunwellDb(sqlite.AddInterceptors(failure).Options, CreditorScope.Unrestricted());
        }

        var postgres = new DbContextOptionsBuilder<PostgresDunwellDb>();
        DatabaseSetup.ConfigurePostgres(postgres, database.ConnectionString);
        return new PostgresDunwellDb(postgres.AddInterceptors(failure).Options, CreditorScope.Unrestricted());
    }

    private sealed class InjectedFailure() : IOException("No space left on device (injected).");

    /// <summary>Fails the save that would write a <typeparamref name="T"/>, as a full disk would.</summary>
    private sealed class FailOnSave<T> : SaveChangesInterceptor
        where T : class
    {
        public override ValueTask<InterceptionResult<int>> SavingChangesAsync(
            DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default) =>
            eventData.Context!.ChangeTracker.Entries<T>().Any(e => e.State == EntityState.Added)
                ? throw new InjectedFailure()
                : ValueTask.FromResult(result);
    }
}
