using System.Net;
using System.Net.Http.Json;
using Dunwell.Domain.Accounts;
using Dunwell.Domain.Ledger;
using Dunwell.Tests.Features.Records;
using Dunwell.Tests.Support;
using Dunwell.Web;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Dunwell.Tests.Features.Privacy;

/// <summary>Issue 9, finding 6: a card number sent to the API in free text is stored masked, and the answer says so.</summary>
public sealed class CardNumberApiTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static readonly Instant Now = Instant.FromUtc(2026, 3, 2, 16, 0);

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_card_number_in_a_note_a_payment_a_dispute_or_an_address_is_stored_masked_and_the_answer_says_so(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var agent = await app.ClientAsAsync(Roles.Agent);
        var (debtorId, accountId) = await RecordsSeed.AccountAsync(app, agent);

        var interaction = await agent.PostAsJsonAsync($"/api/v1/accounts/{accountId}/interactions", new
        {
            channel = "call",
            direction = "inbound",
            occurredAt = "2026-03-02T10:15:00-05:00",
            outcome = "promise",
            conversation = true,
            notes = "Wants to pay by card 4111 1111 1111 1111 exp 12/29 on Friday",
        }, Cancel);
        var payment = await SendAsync(agent, $"/api/v1/accounts/{accountId}/payments", "pay-1",
            new { amount = "150.00", currency = "USD", paidOn = "2026-03-01", method = "card", reference = "CARD-5500-0000-0000-0004", note = "Card 4111111111111111" });
        var dispute = await SendAsync(agent, $"/api/v1/accounts/{accountId}/disputes", "dispute-1",
            new { receivedAt = "2026-03-02T09:15:00-05:00", written = true, note = "Charged twice on 3782 822463 10005" });
        var address = await agent.PatchAsJsonAsync($"/api/v1/debtors/{debtorId}", new { addressLine2 = "Card 6011-0009-9013-9424" }, Cancel);

        Assert.Equal(HttpStatusCode.Created, interaction.StatusCode);
        Assert.Equal("interaction.notes", Header(interaction));
        var interactionBody = await interaction.JsonAsync();
        var said = interactionBody.GetProperty(CardNumberNotice.JsonName);
        Assert.Equal(["interaction.notes"], said.GetProperty("fields").EnumerateArray().Select(f => f.GetString()));
        Assert.Contains("never stores card numbers", said.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal("Wants to pay by card **** **** **** 1111 exp 12/29 on Friday", interactionBody.GetProperty("notes").GetString());
        Assert.StartsWith($"/api/v1/accounts/{accountId}/interactions/", interaction.Headers.Location?.ToString(), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Created, payment.StatusCode);
        Assert.Equal("ledgerEntry.note, ledgerEntry.reference", Header(payment));
        Assert.Equal(HttpStatusCode.Created, dispute.StatusCode);
        Assert.Equal("dispute.note", Header(dispute));
        Assert.Equal(HttpStatusCode.OK, address.StatusCode);
        Assert.Equal("debtor.addressLine2", Header(address));
        Assert.True((await address.JsonAsync()).TryGetProperty(CardNumberNotice.JsonName, out _));

        var stored = await app.WithDbAsync(async db => (
            Notes: await db.Interactions.Where(i => i.Channel == InteractionChannel.Call).Select(i => i.Notes).SingleAsync(Cancel),
            Payment: await db.Ledger.Where(e => e.Kind == LedgerEntryKind.Payment).Select(e => new { e.Reference, e.Note }).SingleAsync(Cancel),
            Dispute: await db.Disputes.Select(d => d.Note).SingleAsync(Cancel),
            Address: await db.Debtors.Select(d => d.AddressLine2).SingleAsync(Cancel)));
        Assert.Equal("Wants to pay by card **** **** **** 1111 exp 12/29 on Friday", stored.Notes);
        Assert.Equal("CARD-****-****-****-0004", stored.Payment.Reference);
        Assert.Equal("Card ************1111", stored.Payment.Note);
        Assert.Equal("Charged twice on **** ****** *0005", stored.Dispute);
        Assert.Equal("Card ****-****-****-9424", stored.Address);

        // A retry with the same key replays the first answer, notice and all.
        var replay = await SendAsync(agent, $"/api/v1/accounts/{accountId}/payments", "pay-1",
            new { amount = "150.00", currency = "USD", paidOn = "2026-03-01", method = "card", reference = "CARD-5500-0000-0000-0004", note = "Card 4111111111111111" });
        Assert.Equal(HttpStatusCode.Created, replay.StatusCode);
        Assert.True((await replay.JsonAsync()).TryGetProperty(CardNumberNotice.JsonName, out _));

        // The same reference under a new key is the same payment: refused by its stored (masked) form, naming the entry.
        var again = await SendAsync(agent, $"/api/v1/accounts/{accountId}/payments", "pay-2",
            new { amount = "150.00", currency = "USD", paidOn = "2026-03-01", method = "card", reference = "CARD-5500-0000-0000-0004" });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        var holder = await app.WithDbAsync(db => db.Ledger.Where(e => e.Kind == LedgerEntryKind.Payment).Select(e => e.Id).SingleAsync(Cancel));
        Assert.Equal(holder, (await again.JsonAsync()).GetProperty("entryId").GetInt64());
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Text_without_a_card_number_is_stored_as_sent_and_the_answer_says_nothing(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var agent = await app.ClientAsAsync(Roles.Agent);
        var (_, accountId) = await RecordsSeed.AccountAsync(app, agent);
        const string notes = "Promised 1,250.00 on 2026-03-06; call +1 212-555-0143 or ref ACC-000123456789 (card 4111 1111 1111 1112 declined)";

        var interaction = await agent.PostAsJsonAsync($"/api/v1/accounts/{accountId}/interactions",
            new { channel = "note", occurredAt = "2026-03-02T10:15:00Z", notes }, Cancel);

        Assert.Equal(HttpStatusCode.Created, interaction.StatusCode);
        Assert.False(interaction.Headers.Contains(CardNumberNotice.HeaderName));
        Assert.False((await interaction.JsonAsync()).TryGetProperty(CardNumberNotice.JsonName, out _));
        Assert.Equal(notes, await app.WithDbAsync(db => db.Interactions.Select(i => i.Notes).SingleAsync(Cancel)));
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, string url, string key, object body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key);
        return client.SendAsync(request, Cancel);
    }

    private static string? Header(HttpResponseMessage response) =>
        response.Headers.TryGetValues(CardNumberNotice.HeaderName, out var values) ? string.Join(", ", values) : null;
}
