using System.Net;
using System.Net.Http.Json;
using Dunwell.Domain.Accounts;
using Dunwell.Domain.Ledger;
using Dunwell.Tests.Support;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Dunwell.Tests.Features.Records;

/// <summary>
/// A balance is never stored: whatever mix of payments and reversals an account sees, the figure every reader shows
/// (the account, the search results) is the sum of its ledger, component by component.
/// </summary>
public sealed class BalanceTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("sqlite", 1)]
    [InlineData("sqlite", 2)]
    [InlineData("postgres", 1)]
    [InlineData("postgres", 2)]
    public async Task After_any_mix_of_payments_and_reversals_every_reader_shows_the_sum_of_the_ledger(string provider, int seed)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Instant.FromUtc(2026, 3, 2, 16, 0));
        var agent = await app.ClientAsAsync(Roles.Agent);
        var supervisor = await app.ClientAsAsync(Roles.Supervisor);
        var (_, accountId) = await RecordsSeed.AccountAsync(app, agent);
        var random = new Random(seed);
        var payments = new List<long>();

        for (var step = 0; step < 12; step++)
        {
            if (payments.Count > 0 && random.Next(3) == 0)
            {
                var entryId = payments[random.Next(payments.Count)];
                payments.Remove(entryId);
                var reversal = await supervisor.PostAsJsonAsync($"/api/v1/accounts/{accountId}/ledger/{entryId}/reversal", new { reason = "Bounced" }, Cancel);
                Assert.Equal(HttpStatusCode.Created, reversal.StatusCode);
                continue;
            }

            var cents = random.Next(1, 30_000);
            var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/accounts/{accountId}/payments")
            {
                // Any mix includes paying past the balance into credit, said as an overpayment.
                Content = JsonContent.Create(new { amount = $"{cents / 100}.{cents % 100:00}", paidOn = "2026-03-01", overpayment = true }),
            };
            request.Headers.Add("Idempotency-Key", $"step-{step}");
            var paid = await agent.SendAsync(request, Cancel);
            Assert.Equal(HttpStatusCode.Created, paid.StatusCode);
            payments.Add((await paid.JsonAsync()).GetProperty("entryId").GetInt64());
        }

        var entries = await app.WithDbAsync(db => db.Ledger.Where(e => e.AccountId == accountId).ToListAsync(Cancel));
        var sum = Components.Sum(entries.Select(e => e.Amount));
        var account = await (await agent.GetAsync($"/api/v1/accounts/{accountId}", Cancel)).JsonAsync();
        var search = await (await agent.GetAsync("/api/v1/accounts?reference=ACC-1", Cancel)).JsonAsync();

        var balance = account.GetProperty("balance");
        Assert.Equal(Major(sum.Total), balance.GetProperty("total").GetString());
        Assert.Equal(Major(sum.Principal), balance.GetProperty("principal").GetString());
        Assert.Equal(Major(sum.Interest), balance.GetProperty("interest").GetString());
        Assert.Equal(Major(sum.Fees), balance.GetProperty("fees").GetString());
        Assert.Equal(Major(sum.Total), search.GetProperty("items")[0].GetProperty("balance").GetProperty("amount").GetString());

        // And the sum itself is what was placed, less what was paid and not reversed.
        var paidAndKept = entries.Where(e => e.Kind == LedgerEntryKind.Payment && payments.Contains(e.Id)).Sum(e => e.Amount.Total);
        Assert.Equal(61_240 + paidAndKept, sum.Total);
    }

    private static string Major(long minor) =>
        Dunwell.Domain.Amounts.MoneyText.Format(minor, 2);
}
