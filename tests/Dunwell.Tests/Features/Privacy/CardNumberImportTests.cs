using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dunwell.Domain.Accounts;
using Dunwell.Domain.Ledger;
using Dunwell.Tests.Support;
using Dunwell.Web;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using static Dunwell.Tests.Features.Imports.ImportKit;

namespace Dunwell.Tests.Features.Privacy;

/// <summary>Issue 9, finding 6, through the bulk import (which writes without EF Core): masked the same way, reported per line and column.</summary>
public sealed class CardNumberImportTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Card_numbers_in_placement_and_payment_files_are_masked_and_reported_by_line_and_column(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Instant.FromUtc(2026, 3, 2, 9, 0));
        var admin = await app.ClientAsAsync(Roles.Admin);
        var placements = Csv(PlacementHeader,
            Row("A-1", changes: [("address_line2", "Card 4111 1111 1111 1111"), ("original_creditor", "Acme 5500-0000-0000-0004")]),
            Row("A-2", debtor: "D-2", changes: ("name", "Jo 4111111111111111 Bloggs")),
            Row("4111111111111111", debtor: "D-3"));

        var placed = await admin.PostAsync("/api/v1/imports/placements?skipInvalid=true", new StringContent(placements, Encoding.UTF8, "text/csv"), Cancel);
        var paid = await admin.PostAsync("/api/v1/imports/payments",
            new StringContent(Csv(PaymentHeader, "A-1,5.00,USD,2026-03-01,card,CARD-6011000990139424"), Encoding.UTF8, "text/csv"), Cancel);

        Assert.Equal(HttpStatusCode.OK, placed.StatusCode);
        var report = await placed.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        Assert.Equal(2, report.GetProperty("created").GetInt32());
        Assert.Equal(
            ["2 address_line2", "2 original_creditor", "3 name"],
            report.GetProperty("cardNumbersMasked").EnumerateArray().Select(m => $"{m.GetProperty("line").GetInt32()} {m.GetProperty("column").GetString()}"));
        Assert.Contains("never stores card numbers", report.GetProperty("cardNumbersMasked")[0].GetProperty("reason").GetString(), StringComparison.Ordinal);
        var refused = Assert.Single(report.GetProperty("errors").EnumerateArray());
        Assert.Equal((4, "account_ref"), (refused.GetProperty("line").GetInt32(), refused.GetProperty("column").GetString()));
        Assert.DoesNotContain("4111111111111111", refused.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Contains(CardNumberNotice.HeaderName, placed.Headers.Select(h => h.Key));

        Assert.Equal(HttpStatusCode.OK, paid.StatusCode);
        var paidReport = await paid.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        Assert.Equal("2 reference", string.Join(",", paidReport.GetProperty("cardNumbersMasked").EnumerateArray()
            .Select(m => $"{m.GetProperty("line").GetInt32()} {m.GetProperty("column").GetString()}")));

        var stored = await app.WithDbAsync(async db => (
            Address: await db.Debtors.Where(d => d.Reference == "D-1").Select(d => d.AddressLine2).SingleAsync(Cancel),
            Name: await db.Debtors.Where(d => d.Reference == "D-2").Select(d => new { d.Name, d.SearchName }).SingleAsync(Cancel),
            Original: await db.Accounts.Where(a => a.Reference == "A-1").Select(a => a.OriginalCreditor).SingleAsync(Cancel),
            Payment: await db.Ledger.Where(e => e.Kind == LedgerEntryKind.Payment).Select(e => new { e.Reference, e.IdempotencyKey }).SingleAsync(Cancel),
            HeldReference: await db.PaymentReferences.Select(r => r.Reference).SingleAsync(Cancel),
            Creditor: await db.Accounts.Where(a => a.Reference == "A-1").Select(a => a.CreditorId).SingleAsync(Cancel),
            Accounts: await db.Accounts.CountAsync(Cancel)));
        Assert.Equal("Card **** **** **** 1111", stored.Address);
        Assert.Equal(("Jo ************1111 Bloggs", "jo ************1111 bloggs"), (stored.Name.Name, stored.Name.SearchName));
        Assert.Equal("Acme ****-****-****-0004", stored.Original);
        Assert.Equal(("CARD-************9424", $"payment-file:{stored.Creditor}:CARD-************9424"), (stored.Payment.Reference, stored.Payment.IdempotencyKey));
        Assert.Equal("CARD-************9424", stored.HeldReference);
        Assert.Equal(2, stored.Accounts);
    }
}
