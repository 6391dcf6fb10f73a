using System.Net.Http.Json;
using Dunwell.Data;
using Dunwell.Domain.Accounts;
using Dunwell.Tests.Features.Records;
using Dunwell.Tests.Support;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Dunwell.Tests.Features.Messages;

/// <summary>A US consumer account whose debtor's email is a fresh mailbox on the test mail server, and rows queued on it.</summary>
internal static class OutboxKit
{
    /// <summary>10:00 in New York on a Monday: inside the hours the rules allow.</summary>
    public static readonly Instant Morning = Instant.FromUtc(2026, 3, 2, 15, 0);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public static async Task<(long DebtorId, long AccountId)> AccountAsync(TestApp app, HttpClient agent, string email, string reference = "ACC-1", string? preferred = "email")
    {
        if (!await app.WithDbAsync(db => db.Creditors.AnyAsync(c => c.Reference == "ACME", Cancel)))
        {
            await RecordsSeed.CreditorAsync(app);
            await app.WithDbAsync(async db =>
            {
                var creditor = await db.Creditors.SingleAsync(c => c.Reference == "ACME", Cancel);
                creditor.SenderName = "Acme Energy Billing";
                creditor.SenderEmail = "billing@acme-energy.test";
                await db.SaveChangesAsync(Cancel);
            });
        }

        var debtorId = await RecordsSeed.PostDebtorAsync(agent, new
        {
            reference = "D-" + reference,
            kind = "person",
            name = "Sam Rivera",
            addressLine1 = "40 Orchard Street",
            city = "New York",
            region = "NY",
            postalCode = "10002",
            country = "US",
            language = "en-US",
            preferences = new { channel = preferred },
            contacts = new object[] { new { kind = "phone", value = "(212) 555-0100" }, new { kind = "email", value = email } },
        });
        var accountId = await RecordsSeed.PostAccountAsync(agent, RecordsSeed.Account(debtorId, reference));
        return (debtorId, accountId);
    }

    /// <summary>An agent's own words queued for the account, the way the API queues them.</summary>
    public static async Task<long> QueueTextAsync(HttpClient agent, long accountId, string text, string channel = "email", string? subject = "About your account")
    {
        var response = await agent.PostAsJsonAsync($"/api/v1/accounts/{accountId}/messages", new { channel, subject, text }, Cancel);
        var body = await response.Content.ReadAsStringAsync(Cancel);
        Assert.True(response.IsSuccessStatusCode, body);
        return (await response.JsonAsync()).GetProperty("id").GetInt64();
    }

    /// <summary>A message row as a feature queues it, for tests that need one without going through the API.</summary>
    public static Task<long> QueueRowAsync(TestApp app, long accountId, string templateKey, string key, Action<OutboxMessage>? shape = null) =>
        app.WithDbAsync(async db =>
        {
            var message = new OutboxMessage
            {
                AccountId = accountId,
                Channel = InteractionChannel.Email,
                TemplateKey = templateKey,
                IdempotencyKey = key,
                SendAfter = app.Now,
                State = OutboxState.Queued,
                CreatedAt = app.Now,
            };
            shape?.Invoke(message);
            db.Outbox.Add(message);
            await db.SaveChangesAsync(Cancel);
            return message.Id;
        });
}
