using Dunwell.Domain.Accounts;
using Dunwell.Domain.Ledger;
using Dunwell.Tests.Support;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using static Dunwell.Tests.Features.Imports.ImportKit;

namespace Dunwell.Tests.Features.Imports;

public sealed class ImportPlacementsTests
{
    private static readonly Instant Now = Instant.FromUtc(2026, 3, 2, 9, 0);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_good_file_creates_creditors_debtors_contacts_accounts_and_opening_charges_that_read_back_through_ef(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var csv = Csv(
            PlacementHeader,
            Row("A-1", "D-1", ("phone2", "+1 415 555 2671")),
            Row("A-2", "D-1", ("principal", "10"), ("interest", "0"), ("fees", "0"), ("itemization_date", "")),
            Row("A-3", "D-2", ("creditor_ref", "BRIT"), ("name", "Tom Jones"), ("email", ""), ("phone", "07911 123456"), ("country", "GB"),
                ("currency", "GBP"), ("time_zone", ""), ("language", "en-GB")),
            Row("A-4", "D-3", ("creditor_ref", "TRADE"), ("debtor_kind", "company"), ("name", "Widgets GmbH"), ("phone", ""), ("email", ""), ("country", "DE"),
                ("currency", "EUR"), ("account_kind", "commercial"), ("time_zone", "Europe/Berlin")));

        var report = await PlacementsAsync(app, csv);

        Assert.True(report.Applied);
        Assert.Empty(report.Errors);
        Assert.Equal((4, 4, 0, 0, 0), (report.Rows, report.Created, report.Updated, report.Unchanged, report.Rejected));
        Assert.Equal((3, 3), (report.CreditorsCreated, report.DebtorsCreated));

        await app.WithDbAsync(async db =>
        {
            var creditors = await db.Creditors.OrderBy(c => c.Reference).ToListAsync(Cancel);
            Assert.Equal(["ACME", "BRIT", "TRADE"], creditors.Select(c => c.Reference));
            Assert.Equal(["US-FDCPA", "UK-FCA", "B2B"], creditors.Select(c => c.JurisdictionPack));
            Assert.Equal(["America/New_York", "Europe/London", "Europe/Berlin"], creditors.Select(c => c.TimeZone));
            Assert.Equal("ACME", creditors[0].Name);
            Assert.Equal(Now, creditors[0].CreatedAt);

            var jane = await db.Debtors.Include(d => d.Contacts).SingleAsync(d => d.Reference == "D-1", Cancel);
            Assert.Equal(("Jane Doe", "jane doe", DebtorKind.Person, "US", "America/New_York"), (jane.Name, jane.SearchName, jane.Kind, jane.Country, jane.TimeZone));
            Assert.Equal(
                ["Email:jane.doe@example.com:", "Phone:+12127360134:America/New_York", "Phone:+14155552671:America/Los_Angeles"],
                jane.Contacts.Select(c => $"{c.Kind}:{c.Value}:{c.TimeZone}").Order(StringComparer.Ordinal));
            Assert.Equal(Now, jane.CreatedAt);

            var tom = await db.Debtors.Include(d => d.Contacts).SingleAsync(d => d.Reference == "D-2", Cancel);
            Assert.Equal("Europe/London", tom.TimeZone); // inferred from the UK number
            Assert.Equal("+447911123456", Assert.Single(tom.Contacts).Value);

            var account = await db.Accounts.SingleAsync(a => a.Reference == "A-1", Cancel);
            Assert.Equal((AccountKind.Consumer, AccountStatus.Active, "USD"), (account.Kind, account.Status, account.Currency));
            Assert.Equal(new LocalDate(2025, 11, 30), account.DueDate);
            Assert.Equal(new LocalDate(2025, 12, 15), account.ItemizationDate);

            var opening = await db.Ledger.SingleAsync(e => e.AccountId == account.Id, Cancel);
            Assert.Equal((LedgerEntryKind.Charge, 100_000L, 5_025L, 2_500L), (opening.Kind, opening.Principal, opening.Interest, opening.Fees));
            Assert.Equal("placement:A-1:opening", opening.IdempotencyKey);
            Assert.Equal(new LocalDate(2025, 12, 15), opening.ValueDate);
            Assert.Equal(Now, opening.PostedAt);

            var second = await db.Ledger.SingleAsync(e => e.IdempotencyKey == "placement:A-2:opening", Cancel);
            Assert.Equal(new LocalDate(2025, 11, 30), second.ValueDate); // no itemization date: the due date

            var run = await db.ImportRuns.SingleAsync(Cancel);
            Assert.Equal(("placements", 4, 0), (run.Kind, run.Created, run.Rejected));
            Assert.Equal(64, run.Sha256.Length);
            var audit = await db.AuditEvents.SingleAsync(e => e.Action == "import.placements", Cancel);
            Assert.Equal($"import:{run.Id}", audit.Subject);
        });
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Importing_the_same_file_again_changes_nothing(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var csv = Csv(PlacementHeader, Row("A-1", "D-1", ("phone2", "+1 415 555 2671")), Row("A-2", "D-1"), Row("A-3", "D-2", ("name", "Ann Lee")));

        await PlacementsAsync(app, csv);
        var before = await SnapshotAsync(app);
        app.Clock.Advance(TimeSpan.FromDays(1));
        var again = await PlacementsAsync(app, csv);
        var after = await SnapshotAsync(app);

        Assert.Equal((0, 0, 3, 0), (again.Created, again.Updated, again.Unchanged, again.Rejected));
        Assert.Equal((0, 0, 0), (again.CreditorsCreated, again.DebtorsCreated, again.DebtorsUpdated));
        Assert.Equal(before, after);
        Assert.Equal(new Snapshot(1, 2, 5, 3, 3, 300_000, 15_075, 7_500), after);
        var updatedAt = await app.WithDbAsync(db => db.Accounts.Select(a => a.UpdatedAt).Distinct().ToListAsync(Cancel));
        Assert.Equal([Now], updatedAt);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Changed_amounts_on_reimport_post_an_adjustment_for_the_difference_and_leave_the_opening_entry_alone(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        await PlacementsAsync(app, Csv(PlacementHeader, Row("A-1"), Row("A-2")));

        var changed = await PlacementsAsync(app, Csv(PlacementHeader, Row("A-1", changes: [("principal", "900.00"), ("fees", "40")]), Row("A-2")));
        var changedBack = await PlacementsAsync(app, Csv(PlacementHeader, Row("A-1"), Row("A-2")));

        Assert.Equal((1, 1), (changed.Updated, changed.Unchanged));
        Assert.Equal((1, 1), (changedBack.Updated, changedBack.Unchanged));
        await app.WithDbAsync(async db =>
        {
            var accountId = await db.Accounts.Where(a => a.Reference == "A-1").Select(a => a.Id).SingleAsync(Cancel);
            var entries = await db.Ledger.Where(e => e.AccountId == accountId).ToListAsync(Cancel);
            Assert.Equal(
                ["placement:A-1:opening Charge 100000/5025/2500", "placement:A-1:adjustment:1 Adjustment -10000/0/1500", "placement:A-1:adjustment:2 Adjustment 10000/0/-1500"],
                entries.OrderBy(e => e.Id).Select(e => $"{e.IdempotencyKey} {e.Kind} {e.Principal}/{e.Interest}/{e.Fees}"));
            Assert.All(entries.Where(e => e.Kind == LedgerEntryKind.Adjustment), e => Assert.Equal(new LocalDate(2026, 3, 2), e.ValueDate));
        });
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Changed_debtor_and_account_fields_are_updated_and_counted_as_updated(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        await PlacementsAsync(app, Csv(PlacementHeader, Row("A-1"), Row("A-2", "D-2", ("name", "Ann Lee"))));
        app.Clock.Advance(TimeSpan.FromHours(1));

        var report = await PlacementsAsync(app, Csv(
            PlacementHeader,
            Row("A-1", changes: [("address_line1", "2 Side Street"), ("phone2", "+1 415 555 2671")]),
            Row("A-2", "D-2", ("name", "Ann Lee"), ("due_date", "2025-12-31"))));

        Assert.Equal((0, 2, 0), (report.Created, report.Updated, report.Unchanged));
        Assert.Equal(1, report.DebtorsUpdated);
        await app.WithDbAsync(async db =>
        {
            var jane = await db.Debtors.Include(d => d.Contacts).SingleAsync(d => d.Reference == "D-1", Cancel);
            Assert.Equal("2 Side Street", jane.AddressLine1);
            Assert.Equal(Now + Duration.FromHours(1), jane.UpdatedAt);
            Assert.Equal(3, jane.Contacts.Count);
            var account = await db.Accounts.SingleAsync(a => a.Reference == "A-2", Cancel);
            Assert.Equal(new LocalDate(2025, 12, 31), account.DueDate);
            Assert.Equal(2, await db.Ledger.CountAsync(Cancel));
        });
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Every_kind_of_bad_row_is_reported_with_its_line_column_and_reason_and_nothing_is_applied(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var csv = Csv(
            PlacementHeader,                                                           // line 1
            Row("A-1"),                                                                // 2: good
            Row("A-2", changes: ("currency", "XYZ")),                                  // 3
            Row("A-3", changes: ("principal", "-5.00")),                               // 4
            Row("A-4", changes: ("interest", "12.345")),                               // 5
            Row("A-5", changes: ("fees", "ten")),                                      // 6
            Row("A-6", changes: ("due_date", "2025-02-30")),                           // 7
            Row("A-7", changes: ("country", "XX")),                                    // 8
            Row("A-8", changes: ("time_zone", "Mars/Olympus_Mons")),                   // 9
            Row("A-9", changes: ("debtor_kind", "robot")),                             // 10
            Row("A-10", changes: ("account_kind", "mortgage")),                        // 11
            Row("A-1", changes: ("principal", "999.00")),                              // 12: same account_ref, other data
            Row("A-11", changes: ("name", "Someone Else")),                            // 13: D-1 again, other name
            Row("A-12", changes: ("debtor_kind", "company")),                          // 14: D-1 again, other kind
            Row("A-13", changes: ("name", "")),                                        // 15
            Row("A-14", changes: ("phone", "12")),                                     // 16
            Row("A-15", "D-9", ("creditor_ref", "\"multi\r\nline\"")),                 // 17-18: good, with a quoted line break
            Row("A-16", changes: ("itemization_date", "31/12/2025")));                 // 19

        var report = await PlacementsAsync(app, csv);

        Assert.False(report.Applied);
        Assert.Equal((17, 15), (report.Rows, report.Rejected));
        var errors = report.Errors.Select(e => (e.Line, e.Column)).ToList();
        Assert.Equal(
            [
                (3, "currency"), (4, "principal"), (5, "interest"), (6, "fees"), (7, "due_date"), (8, "country"), (9, "time_zone"),
                (10, "debtor_kind"), (11, "account_kind"), (12, "account_ref"), (13, "name"), (14, "debtor_kind"), (15, "name"), (16, "phone"),
                (19, "itemization_date"),
            ],
            errors);
        Assert.Contains("not an ISO 4217", report.Errors[0].Reason, StringComparison.Ordinal);
        Assert.Contains("negative", report.Errors[1].Reason, StringComparison.Ordinal);
        Assert.Contains("more than 2 decimal places", report.Errors[2].Reason, StringComparison.Ordinal);
        Assert.Contains("not a decimal amount", report.Errors[3].Reason, StringComparison.Ordinal);
        Assert.Contains("not a date", report.Errors[4].Reason, StringComparison.Ordinal);
        Assert.Contains("ISO 3166-1", report.Errors[5].Reason, StringComparison.Ordinal);
        Assert.Contains("IANA", report.Errors[6].Reason, StringComparison.Ordinal);
        Assert.Contains("person or company", report.Errors[7].Reason, StringComparison.Ordinal);
        Assert.Contains("consumer or commercial", report.Errors[8].Reason, StringComparison.Ordinal);
        Assert.Contains("line 2 with different data", report.Errors[9].Reason, StringComparison.Ordinal);
        Assert.Contains("named 'Jane Doe' on line 2", report.Errors[10].Reason, StringComparison.Ordinal);
        Assert.Contains("is a person on line 2", report.Errors[11].Reason, StringComparison.Ordinal);
        Assert.Equal("A value is required.", report.Errors[12].Reason);
        Assert.Contains("not a valid phone number", report.Errors[13].Reason, StringComparison.Ordinal);
        Assert.Equal(new Snapshot(0, 0, 0, 0, 0, 0, 0, 0), await SnapshotAsync(app));
        var run = await app.WithDbAsync(db => db.ImportRuns.SingleAsync(Cancel));
        Assert.Equal((0, 15), (run.Created, run.Rejected));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_missing_required_column_is_reported_once_with_its_name(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var header = PlacementHeader.Replace(",currency", "", StringComparison.Ordinal);
        var rows = Enumerable.Range(1, 3).Select(i => string.Join(',', Row($"A-{i}").Split(',').Where((_, c) => c != 17)));

        var report = await PlacementsAsync(app, Csv([header, .. rows]), skipInvalid: true);

        Assert.False(report.Applied);
        var error = Assert.Single(report.Errors);
        Assert.Equal((1, "currency"), (error.Line, error.Column));
        Assert.Equal(0, await app.WithDbAsync(db => db.Accounts.CountAsync(Cancel)));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_repeated_column_is_a_header_error_and_blank_trailing_columns_are_only_a_warning(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);

        var repeated = await PlacementsAsync(app, Csv(PlacementHeader + ",currency", Row("A-1") + ",EUR"));
        var trailing = await PlacementsAsync(app, Csv(PlacementHeader + ",,", Row("A-1") + ",,"));

        Assert.False(repeated.Applied);
        var error = Assert.Single(repeated.Errors);
        Assert.Equal((1, "currency"), (error.Line, error.Column));
        Assert.Contains("more than once", error.Reason, StringComparison.Ordinal);
        Assert.True(trailing.Applied);
        Assert.Contains(trailing.Warnings, w => w.Contains("blank", StringComparison.Ordinal));
        Assert.Equal(1, await app.WithDbAsync(db => db.Accounts.CountAsync(Cancel)));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task With_skip_invalid_the_good_rows_are_applied_and_the_bad_ones_listed(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var csv = Csv(PlacementHeader, Row("A-1"), Row("A-2", changes: ("currency", "usd?")), Row("A-3", "D-2", ("name", "Ann Lee"), ("email", "not-an-email")), Row("A-4"));

        var report = await PlacementsAsync(app, csv, skipInvalid: true);

        Assert.True(report.Applied);
        Assert.Equal((2, 2), (report.Created, report.Rejected));
        Assert.Equal([(3, "currency"), (4, "email")], report.Errors.Select(e => (e.Line, e.Column)));
        Assert.Equal(["A-1", "A-4"], await app.WithDbAsync(db => db.Accounts.OrderBy(a => a.Reference).Select(a => a.Reference).ToListAsync(Cancel)));
        Assert.Equal(0, await app.WithDbAsync(db => db.Debtors.CountAsync(d => d.Reference == "D-2", Cancel)));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Real_world_csv_with_bom_crlf_quoted_newlines_any_column_order_and_extra_columns_imports_and_formulas_stay_text(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var csv =
            "  due_date ,fees,interest,principal,currency,account_kind,country,name,debtor_kind,debtor_ref,account_ref,creditor_ref,address_line1,notes\r\n" +
            "2025-10-01, 0 ,0,\" 1,000.00\",USD,consumer,us,\"=HYPERLINK(\"\"http://x.example\"\",\"\"pay\"\")\",person,D-1,A-1,ACME,\"Flat 2\r\nRose Court, 5 Hill Road\",ignored\r\n" +
            "2025-10-02,0,0,20.00,USD,consumer,US,  +Plus Minus  ,person,D-2,A-2,ACME,@home,\r\n" +
            "2025-10-03,0,0,30.00,USD,consumer,US,\"-Dash, Ltd\",company,D-3,A-3,ACME,,x\r\n";

        var report = await PlacementsAsync(app, csv, bom: true);

        // A grouped amount ("1,000.00") is refused, reported on its line, and the file applies nothing.
        Assert.False(report.Applied);
        Assert.Equal((2, "principal"), (report.Errors.Single().Line, report.Errors.Single().Column));
        Assert.Equal(["Unknown columns ignored: notes."], report.Warnings);

        var fixedCsv = csv.Replace("\" 1,000.00\"", "\" 1000.00 \"", StringComparison.Ordinal);
        var applied = await PlacementsAsync(app, fixedCsv, bom: true);

        Assert.True(applied.Applied);
        Assert.Equal(3, applied.Created);
        await app.WithDbAsync(async db =>
        {
            var names = await db.Debtors.OrderBy(d => d.Reference).Select(d => d.Name).ToListAsync(Cancel);
            Assert.Equal(["=HYPERLINK(\"http://x.example\",\"pay\")", "+Plus Minus", "-Dash, Ltd"], names);
            var first = await db.Debtors.SingleAsync(d => d.Reference == "D-1", Cancel);
            Assert.Equal("Flat 2\r\nRose Court, 5 Hill Road", first.AddressLine1);
            Assert.Equal("US", first.Country);
            Assert.Equal("@home", (await db.Debtors.SingleAsync(d => d.Reference == "D-2", Cancel)).AddressLine1);
            Assert.Equal(100_000, (await db.Ledger.SingleAsync(e => e.IdempotencyKey == "placement:A-1:opening", Cancel)).Principal);
        });
    }
}
