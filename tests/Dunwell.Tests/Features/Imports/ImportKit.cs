using System.Text;
using Dunwell.Features.Imports;
using Dunwell.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Dunwell.Tests.Features.Imports;

/// <summary>Small helpers for building import files and reading back what an import stored.</summary>
internal static class ImportKit
{
    public const string PlacementHeader =
        "creditor_ref,account_ref,debtor_ref,debtor_kind,name,email,phone,phone2,address_line1,address_line2,city,region,postal_code," +
        "country,time_zone,language,account_kind,currency,principal,interest,fees,due_date,itemization_date,original_creditor,last_payment_date";

    public const string PaymentHeader = "account_ref,amount,currency,paid_at,method,reference";

    private static readonly string[] Columns = PlacementHeader.Split(',');

    /// <summary>A valid placement row (a US consumer account), with any column replaced.</summary>
    public static string Row(string account = "A-1", string debtor = "D-1", params (string Column, string Value)[] changes)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["creditor_ref"] = "ACME",
            ["account_ref"] = account,
            ["debtor_ref"] = debtor,
            ["debtor_kind"] = "person",
            ["name"] = "Jane Doe",
            ["email"] = "Jane.Doe@Example.com",
            ["phone"] = "(212) 736-0134",
            ["phone2"] = "",
            ["address_line1"] = "1 Main Street",
            ["address_line2"] = "",
            ["city"] = "New York",
            ["region"] = "NY",
            ["postal_code"] = "10001",
            ["country"] = "US",
            ["time_zone"] = "",
            ["language"] = "en-US",
            ["account_kind"] = "consumer",
            ["currency"] = "USD",
            ["principal"] = "1000.00",
            ["interest"] = "50.25",
            ["fees"] = "25",
            ["due_date"] = "2025-11-30",
            ["itemization_date"] = "2025-12-15",
            ["original_creditor"] = "",
            ["last_payment_date"] = "",
        };
        foreach (var (column, value) in changes)
        {
            values[column] = value;
        }

        return string.Join(',', Columns.Select(c => values[c]));
    }

    public static string Csv(params string[] lines) => string.Join("\r\n", lines) + "\r\n";

    public static Stream Utf8(string text, bool bom = false) =>
        new MemoryStream([.. (bom ? Encoding.UTF8.GetPreamble() : []), .. Encoding.UTF8.GetBytes(text)]);

    public static Task<ImportReport> PlacementsAsync(TestApp app, string csv, bool skipInvalid = false, bool bom = false) =>
        app.WithDbAsync(db => ImportPlacements.RunAsync(db, app.Clock, Utf8(csv, bom), new ImportOptions("test.csv", "system:test", skipInvalid), TestContext.Current.CancellationToken));

    public static Task<ImportReport> PaymentsAsync(TestApp app, string csv, bool skipInvalid = false) =>
        app.WithDbAsync(db => ImportPayments.RunAsync(db, app.Clock, Utf8(csv), new ImportOptions("payments.csv", "system:test", skipInvalid), TestContext.Current.CancellationToken));

    /// <summary>Row counts of every table an import writes, and the ledger's sums: equal snapshots mean nothing changed.</summary>
    public static Task<Snapshot> SnapshotAsync(TestApp app) => app.WithDbAsync(async db =>
    {
        var ct = TestContext.Current.CancellationToken;
        var ledger = await db.Ledger.AsNoTracking().Select(e => new { e.Principal, e.Interest, e.Fees }).ToListAsync(ct);
        return new Snapshot(
            await db.Creditors.CountAsync(ct),
            await db.Debtors.CountAsync(ct),
            await db.DebtorContacts.CountAsync(ct),
            await db.Accounts.CountAsync(ct),
            ledger.Count,
            ledger.Sum(e => e.Principal),
            ledger.Sum(e => e.Interest),
            ledger.Sum(e => e.Fees));
    });

    public sealed record Snapshot(int Creditors, int Debtors, int Contacts, int Accounts, int Entries, long Principal, long Interest, long Fees);
}
