using Dunwell.Domain.Accounts;
using Dunwell.Domain.Ledger;
using Dunwell.Tests.Support;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using static Dunwell.Tests.Features.Imports.ImportKit;

namespace Dunwell.Tests.Features.Imports;

public sealed class ImportPaymentsTests
{
    private static readonly Instant Now = Instant.FromUtc(2026, 3, 2, 9, 0);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Each_reference_posts_once_allocated_to_fees_then_interest_then_principal(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        await PlacementsAsync(app, Csv(PlacementHeader, Row("A-1"), Row("A-2", changes: ("principal", "20.00"))));
        var csv = Csv(
            PaymentHeader,
            "A-1,30.00,USD,2026-02-01T10:00:00Z,card,P-1",
            "A-1,30.00,USD,2026-02-02,bank_transfer,P-2",
            "A-2,95.25,usd,2026-02-03T23:30:00-05:00,,P-3");

        var first = await PaymentsAsync(app, csv);
        var before = await SnapshotAsync(app);
        var again = await PaymentsAsync(app, csv);

        Assert.True(first.Applied);
        Assert.Equal((3, 0, 0), (first.Created, first.Unchanged, first.Rejected));
        Assert.Equal((0, 3, 0), (again.Created, again.Unchanged, again.Rejected));
        Assert.Equal(before, await SnapshotAsync(app));
        await app.WithDbAsync(async db =>
        {
            var acme = await db.Creditors.Where(c => c.Reference == "ACME").Select(c => c.Id).SingleAsync(Cancel);
            var payments = await db.Ledger.Where(e => e.Kind == LedgerEntryKind.Payment).OrderBy(e => e.Id).ToListAsync(Cancel);
            Assert.Equal(
                [$"payment-file:{acme}:P-1 0/-500/-2500 card P-1 2026-02-01", $"payment-file:{acme}:P-2 0/-3000/0 bank_transfer P-2 2026-02-02", $"payment-file:{acme}:P-3 -2000/-5025/-2500  P-3 2026-02-03"],
                payments.Select(e => $"{e.IdempotencyKey} {e.Principal}/{e.Interest}/{e.Fees} {e.Method} {e.Reference} {e.ValueDate:yyyy-MM-dd}"));
            Assert.Equal("system:test", payments[0].PostedBy);

            var a1 = await db.Accounts.SingleAsync(a => a.Reference == "A-1", Cancel);
            Assert.Equal((new LocalDate(2026, 2, 2), AccountStatus.Active), (a1.LastPaymentDate, a1.Status));
            var a2 = await db.Accounts.SingleAsync(a => a.Reference == "A-2", Cancel);
            Assert.Equal(AccountStatus.Paid, a2.Status); // 20.00 + 50.25 + 25.00 paid in full
            Assert.Equal(2, await db.ImportRuns.CountAsync(r => r.Kind == "payments", Cancel));
            Assert.Equal(2, await db.AuditEvents.CountAsync(e => e.Action == "import.payments", Cancel));
        });
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_payment_file_keeps_the_promise_of_each_account_it_pays_and_leaves_other_promises_to_the_daily_run(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        await PlacementsAsync(app, Csv(PlacementHeader, Row("A-1"), Row("A-2", debtor: "D-2")));
        var agent = await app.ClientAsAsync("agent");
        var ids = await app.WithDbAsync(db => db.Accounts.ToDictionaryAsync(a => a.Reference, a => a.Id, Cancel));
        foreach (var (reference, id) in ids)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/accounts/{id}/arrangements")
            {
                Content = System.Net.Http.Json.JsonContent.Create(new { kind = "promise", firstPaymentOn = "2026-03-06" }),
            };
            request.Headers.Add("Idempotency-Key", $"promise-{reference}");
            Assert.Equal(System.Net.HttpStatusCode.Created, (await agent.SendAsync(request, Cancel)).StatusCode);
        }

        var report = await PaymentsAsync(app, Csv(PaymentHeader, "A-1,1075.25,USD,2026-03-02,card,P-1"));

        Assert.Equal(1, report.Created);
        var promises = await app.WithDbAsync(db => db.Arrangements.Join(db.Accounts, a => a.AccountId, a => a.Id, (arrangement, account) => new { account.Reference, arrangement.State, arrangement.EvaluatedThrough })
            .ToDictionaryAsync(a => a.Reference, Cancel));
        Assert.Equal(Dunwell.Domain.Arrangements.ArrangementState.Kept, promises["A-1"].State);
        Assert.Equal((Dunwell.Domain.Arrangements.ArrangementState.Active, (LocalDate?)null), (promises["A-2"].State, promises["A-2"].EvaluatedThrough));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Bad_payment_rows_are_reported_and_the_file_applies_nothing(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        await PlacementsAsync(app, Csv(PlacementHeader, Row("A-1")));
        var csv = Csv(
            PaymentHeader,                                  // 1
            "A-1,10.00,USD,2026-02-01,card,P-1",            // 2 good
            "NOPE,10.00,USD,2026-02-01,card,P-2",           // 3 unknown account
            "A-1,10.00,EUR,2026-02-01,card,P-3",            // 4 currency differs from the account's
            "A-1,-10.00,USD,2026-02-01,card,P-4",           // 5 negative
            "A-1,1O.00,USD,2026-02-01,card,P-5",            // 6 malformed
            "A-1,10.00,USD,01/02/2026,card,P-6",            // 7 bad date
            "A-1,10.00,USD,2026-04-01,card,P-7",            // 8 in the future
            "A-1,10.00,USD,2026-02-01,bitcoin,P-8",         // 9 unknown method
            "A-1,99.00,USD,2026-02-01,card,P-1",            // 10 reference reused for another amount
            "A-1,10.00,USD,2026-02-01,card,");              // 11 no reference

        var report = await PaymentsAsync(app, csv);

        Assert.False(report.Applied);
        Assert.Equal(
            [(3, "account_ref"), (4, "currency"), (5, "amount"), (6, "amount"), (7, "paid_at"), (8, "paid_at"), (9, "method"), (10, "reference"), (11, "reference")],
            report.Errors.Select(e => (e.Line, e.Column)));
        Assert.Equal(0, await app.WithDbAsync(db => db.Ledger.CountAsync(e => e.Kind == LedgerEntryKind.Payment, Cancel)));

        var skipping = await PaymentsAsync(app, csv, skipInvalid: true);
        Assert.Equal((1, 9), (skipping.Created, skipping.Rejected));
        Assert.Equal(1, await app.WithDbAsync(db => db.Ledger.CountAsync(e => e.Kind == LedgerEntryKind.Payment, Cancel)));
    }
}
