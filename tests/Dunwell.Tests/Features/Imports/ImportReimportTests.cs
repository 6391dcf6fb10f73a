using Dunwell.Domain.Accounts;
using Dunwell.Domain.Ledger;
using Dunwell.Tests.Support;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using static Dunwell.Tests.Features.Imports.ImportKit;

namespace Dunwell.Tests.Features.Imports;

/// <summary>
/// Re-imports, where rows applied before skip their checks by hash (accounts.placement_hash): the outcome must be exactly
/// what checking every row would give.
/// </summary>
public sealed class ImportReimportTests
{
    private static readonly Instant Now = Instant.FromUtc(2026, 3, 2, 9, 0);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task One_changed_row_is_applied_and_counted_as_updated_while_the_rest_are_unchanged(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        await PlacementsAsync(app, Csv(PlacementHeader, Row("A-1"), Row("A-2", "D-2", ("name", "Ann Lee")), Row("A-3", "D-3", ("name", "Bo Chan"))));
        var hashes = await app.WithDbAsync(db => db.Accounts.Select(a => a.PlacementHash).ToListAsync(Cancel));

        var report = await PlacementsAsync(app, Csv(
            PlacementHeader, Row("A-1"), Row("A-2", "D-2", ("name", "Ann Lee"), ("principal", "900.00")), Row("A-3", "D-3", ("name", "Bo Chan"))));

        Assert.All(hashes, h => Assert.Equal(32, h?.Length));
        Assert.True(report.Applied);
        Assert.Equal((0, 1, 2, 0), (report.Created, report.Updated, report.Unchanged, report.Rejected));
        await app.WithDbAsync(async db =>
        {
            var adjustment = await db.Ledger.SingleAsync(e => e.Kind == LedgerEntryKind.Adjustment, Cancel);
            Assert.Equal(("placement:A-2:adjustment:1", -10_000L), (adjustment.IdempotencyKey, adjustment.Principal));
        });

        // And the changed row's new hash is recognised next time.
        var third = await PlacementsAsync(app, Csv(
            PlacementHeader, Row("A-1"), Row("A-2", "D-2", ("name", "Ann Lee"), ("principal", "900.00")), Row("A-3", "D-3", ("name", "Bo Chan"))));
        Assert.Equal((0, 0, 3), (third.Created, third.Updated, third.Unchanged));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_row_that_was_valid_and_is_now_changed_to_be_invalid_is_rejected_and_nothing_is_applied(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var csv = Csv(PlacementHeader, Row("A-1"), Row("A-2", "D-2", ("name", "Ann Lee")));
        await PlacementsAsync(app, csv);
        var before = await SnapshotAsync(app);

        var report = await PlacementsAsync(app, Csv(
            PlacementHeader, Row("A-1", changes: ("principal", "900.00")), Row("A-2", "D-2", ("name", "Ann Lee"), ("phone", "12"))));

        Assert.False(report.Applied);
        var error = Assert.Single(report.Errors);
        Assert.Equal((3, "phone"), (error.Line, error.Column));
        Assert.Equal(before, await SnapshotAsync(app));

        // The rejected file left the stored hashes alone: the original file is still unchanged.
        var again = await PlacementsAsync(app, csv);
        Assert.Equal((0, 0, 2), (again.Created, again.Updated, again.Unchanged));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_debtor_edited_since_the_import_is_set_back_by_the_same_row_as_a_full_check_would(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var csv = Csv(PlacementHeader, Row("A-1", changes: ("phone2", "+1 415 555 2671")));
        await PlacementsAsync(app, csv);
        await app.WithDbAsync(async db =>
        {
            var debtor = await db.Debtors.Include(d => d.Contacts).SingleAsync(Cancel);
            debtor.City = "Albany";
            debtor.Contacts.Remove(debtor.Contacts.Single(c => c.Label == "secondary"));
            await db.SaveChangesAsync(Cancel);
        });

        var report = await PlacementsAsync(app, csv);

        Assert.Equal((0, 1, 0), (report.Created, report.Updated, report.Unchanged));
        Assert.Equal(1, report.DebtorsUpdated);
        await app.WithDbAsync(async db =>
        {
            var debtor = await db.Debtors.Include(d => d.Contacts).SingleAsync(Cancel);
            Assert.Equal("New York", debtor.City);
            Assert.Equal(3, debtor.Contacts.Count);
        });
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_later_row_of_a_debtor_sent_alone_sets_the_debtor_fields_as_a_full_check_would(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);

        // The debtor's first row sets its address; the second row's address is ignored on the first import.
        var second = Row("A-2", changes: ("address_line1", "9 Other Road"));
        await PlacementsAsync(app, Csv(PlacementHeader, Row("A-1"), second));

        var report = await PlacementsAsync(app, Csv(PlacementHeader, second));

        Assert.Equal((0, 1, 0), (report.Created, report.Updated, report.Unchanged));
        Assert.Equal("9 Other Road", await app.WithDbAsync(db => db.Debtors.Select(d => d.AddressLine1).SingleAsync(Cancel)));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task An_account_whose_last_payment_date_moved_on_is_still_unchanged_and_is_not_moved_back(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var csv = Csv(PlacementHeader, Row("A-1", changes: ("last_payment_date", "2026-01-10")));
        await PlacementsAsync(app, csv);
        await app.WithDbAsync(async db =>
        {
            var account = await db.Accounts.SingleAsync(Cancel);
            account.LastPaymentDate = new LocalDate(2026, 2, 20);
            account.Status = AccountStatus.Active;
            await db.SaveChangesAsync(Cancel);
        });

        var report = await PlacementsAsync(app, csv);

        Assert.Equal((0, 0, 1), (report.Created, report.Updated, report.Unchanged));
        Assert.Equal(new LocalDate(2026, 2, 20), await app.WithDbAsync(db => db.Accounts.Select(a => a.LastPaymentDate).SingleAsync(Cancel)));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task The_same_account_twice_in_a_file_after_an_import_is_unchanged_when_equal_and_rejected_when_different(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        await PlacementsAsync(app, Csv(PlacementHeader, Row("A-1")));

        var same = await PlacementsAsync(app, Csv(PlacementHeader, Row("A-1"), Row("A-1")));
        var different = await PlacementsAsync(app, Csv(PlacementHeader, Row("A-1"), Row("A-1", changes: ("principal", "5.00"))));

        Assert.Equal((0, 0, 2, 0), (same.Created, same.Updated, same.Unchanged, same.Rejected));
        Assert.False(different.Applied);
        Assert.Equal((3, "account_ref"), (Assert.Single(different.Errors).Line, different.Errors[0].Column));
    }
}
