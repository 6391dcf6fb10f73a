using System.Net;
using Dunwell.Domain.Accounts;
using Dunwell.Domain.Ledger;
using Dunwell.Tests.Features.Pages;
using Dunwell.Tests.Support;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Dunwell.Tests.Features.Privacy;

/// <summary>Issue 9, finding 6, on the account page: what an agent types is stored masked and the page they land on says so.</summary>
public sealed class CardNumberPageTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static readonly Instant Now = Instant.FromUtc(2026, 3, 2, 16, 0);

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_card_number_typed_into_the_account_pages_forms_is_stored_masked_and_the_page_says_why(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var accountId = await PageSession.SeedAccountAsync(app);
        var agent = await PageSession.SignedInAsync(app, Roles.Agent);
        var url = $"/accounts/{accountId}";

        var call = await PageSession.SubmitAsync(agent, url, "interaction", new()
        {
            ["Interaction.Channel"] = "Call",
            ["Interaction.Direction"] = "Inbound",
            ["Interaction.Outcome"] = "Promise",
            ["Interaction.Conversation"] = "true",
            ["Interaction.OccurredAt"] = "2026-03-02T10:05",
            ["Interaction.Notes"] = "Read out her card 4111-1111-1111-1111 before I could stop her",
        }, postUrl: $"{url}/record");
        var callPage = await (await agent.GetAsync(call.Headers.Location, Cancel)).Content.ReadAsStringAsync(Cancel);

        var form = await (await agent.GetAsync(url, Cancel)).Content.ReadAsStringAsync(Cancel);
        var payment = await PageSession.SubmitAsync(agent, url, "payment", new()
        {
            ["Payment.Amount"] = "50.00",
            ["Payment.PaidOn"] = "2026-03-01",
            ["Payment.Method"] = "card",
            ["Payment.Reference"] = "5500 0000 0000 0004",
            ["Payment.Note"] = "Paid with 4111111111111111",
            ["Payment.IdempotencyKey"] = PageSession.HiddenValue(form, "Payment.IdempotencyKey"),
        }, postUrl: $"{url}/record");
        var paymentPage = await (await agent.GetAsync(payment.Headers.Location, Cancel)).Content.ReadAsStringAsync(Cancel);

        var dispute = await PageSession.SubmitAsync(agent, url, "", new()
        {
            ["receivedAt"] = "2026-03-02T09:00",
            ["written"] = "written",
            ["amount"] = "",
            ["note"] = "Card 3782 822463 10005 was charged twice",
        }, $"{url}/disputes");
        var disputePage = await (await agent.GetAsync(dispute.Headers.Location, Cancel)).Content.ReadAsStringAsync(Cancel);

        Assert.Equal(HttpStatusCode.Redirect, call.StatusCode);
        Assert.Contains("cardNumbersMasked=interaction.notes", call.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.Contains("id=\"card-numbers-masked\"", callPage, StringComparison.Ordinal);
        Assert.Contains("Dunwell never stores card numbers", callPage, StringComparison.Ordinal);
        Assert.Contains("Read out her card ****-****-****-1111 before I could stop her", callPage, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, payment.StatusCode);
        Assert.Contains("id=\"card-numbers-masked\"", paymentPage, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, dispute.StatusCode);
        Assert.Contains("id=\"card-numbers-masked\"", disputePage, StringComparison.Ordinal);
        Assert.DoesNotContain("4111", callPage.Replace("****-1111", "", StringComparison.Ordinal), StringComparison.Ordinal);

        var stored = await app.WithDbAsync(async db => (
            Notes: await db.Interactions.Where(i => i.Channel == InteractionChannel.Call).Select(i => i.Notes).SingleAsync(Cancel),
            Payment: await db.Ledger.Where(e => e.Kind == LedgerEntryKind.Payment).Select(e => new { e.Reference, e.Note }).SingleAsync(Cancel),
            Dispute: await db.Disputes.Select(d => d.Note).SingleAsync(Cancel)));
        Assert.Equal("Read out her card ****-****-****-1111 before I could stop her", stored.Notes);
        Assert.Equal("**** **** **** 0004", stored.Payment.Reference);
        Assert.Equal("Paid with ************1111", stored.Payment.Note);
        Assert.Equal("Card **** ****** *0005 was charged twice", stored.Dispute);
    }

    [Fact]
    public async Task The_notice_names_only_real_fields_and_never_repeats_text_a_link_put_in_the_address()
    {
        await using var database = await TestDatabase.CreateAsync("sqlite");
        await using var app = await TestApp.StartAsync(database, Now);
        var accountId = await PageSession.SeedAccountAsync(app);
        var agent = await PageSession.SignedInAsync(app, Roles.Agent);

        var forged = await (await agent.GetAsync($"/accounts/{accountId}?cardNumbersMasked=Your%20account%20is%20suspended,interaction.notes", Cancel)).Content.ReadAsStringAsync(Cancel);
        var onlyForged = await (await agent.GetAsync($"/accounts/{accountId}?cardNumbersMasked=Call%20555-0100%20now", Cancel)).Content.ReadAsStringAsync(Cancel);

        Assert.Contains("Field: interaction.notes.", forged, StringComparison.Ordinal);
        Assert.DoesNotContain("suspended", forged, StringComparison.Ordinal);
        Assert.DoesNotContain("card-numbers-masked", onlyForged, StringComparison.Ordinal);
        Assert.DoesNotContain("555-0100", onlyForged, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_account_pages_notices_show_only_what_its_own_records_say_never_a_links_words()
    {
        await using var database = await TestDatabase.CreateAsync("sqlite");
        await using var app = await TestApp.StartAsync(database, Now);
        var accountId = await PageSession.SeedAccountAsync(app);
        var agent = await PageSession.SignedInAsync(app, Roles.Agent);
        const string Words = "Your%20account%20is%20suspended.%20Call%20555-0100";

        var forged = await (await agent.GetAsync($"/accounts/{accountId}?arrangement={Words}&charges={Words}&dispute={Words}&facts={Words}", Cancel)).Content.ReadAsStringAsync(Cancel);
        var recorded = await PageSession.SubmitAsync(agent, $"/accounts/{accountId}", "", new()
        {
            ["receivedAt"] = "2026-03-02T09:00",
            ["written"] = "written",
            ["amount"] = "",
            ["note"] = "Says the bill was paid",
        }, $"/accounts/{accountId}/disputes");
        var landed = await (await agent.GetAsync(recorded.Headers.Location, Cancel)).Content.ReadAsStringAsync(Cancel);

        Assert.DoesNotContain("suspended", forged, StringComparison.Ordinal);
        Assert.DoesNotContain("555-0100", forged, StringComparison.Ordinal);
        Assert.DoesNotContain("Dispute recorded", recorded.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.Contains("Dispute recorded: the whole debt", landed, StringComparison.Ordinal);
    }
}
