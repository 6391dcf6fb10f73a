using System.Net.Http.Json;
using Dunwell.Data;
using Dunwell.Domain.Accounts;
using Dunwell.Domain.Compliance;
using Dunwell.Domain.Messages;
using Dunwell.Features.Messages;
using Dunwell.Features.Messages.Email;
using Dunwell.Features.Messages.Outbox;
using Dunwell.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NodaTime;

namespace Dunwell.Tests.Features.Messages;

/// <summary>The sender delivers to a real SMTP server (smtp4dev): once, from the creditor, screened again when it goes.</summary>
public sealed class OutboxSenderTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    internal static OutboxSender Sender(DunwellDb db, TestMailServer mail, IMessageComposer? composer = null) =>
        new(db, [new SmtpEmailSender(Options.Create(EmailSettings(mail)))], composer, new OutboxOptions());

    internal static EmailOptions EmailSettings(TestMailServer mail) =>
        new() { Host = mail.SmtpHost, Port = mail.SmtpPort, Tls = EmailTls.None, FromName = "Dunwell", FromAddress = "noreply@dunwell.test", TimeoutSeconds = 20 };

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task An_agents_email_arrives_once_from_the_creditor_with_text_and_html_and_shows_on_the_timeline(string provider)
    {
        var mail = TestMailServer.Require();
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, OutboxKit.Morning);
        var agent = await app.ClientAsAsync("agent");
        var to = TestMailServer.NewAddress();
        var (_, accountId) = await OutboxKit.AccountAsync(app, agent, to);
        var id = await OutboxKit.QueueTextAsync(agent, accountId, "Thank you for your call today.\n\nYour next payment of $50.00 is due on 10 March.", subject: "Your payment plan");

        var first = await app.WithDbAsync(db => Sender(db, mail).RunAsync(app.Now, Cancel));
        var second = await app.WithDbAsync(db => Sender(db, mail).RunAsync(app.Now + Duration.FromMinutes(5), Cancel));
        var delivered = await mail.WaitForAsync(to, cancellationToken: Cancel);
        await Task.Delay(500, Cancel); // a second copy, if one were sent, would have arrived by now
        delivered = await mail.DeliveredToAsync(to, Cancel);
        var message = await app.WithDbAsync(db => db.Outbox.Include(m => m.DeliveryAttempts).SingleAsync(m => m.Id == id, Cancel));
        var timeline = await app.WithDbAsync(db => db.Interactions.Where(i => i.AccountId == accountId && i.Author == "outbox").ToListAsync(Cancel));

        Assert.Equal((1, 1), (first.Claimed, first.Sent));
        Assert.Equal(0, second.Claimed);
        var copy = Assert.Single(delivered);
        Assert.Equal("Your payment plan", copy.Subject);
        var source = await RawAsync(mail, copy.Id); // headers as received
        Assert.Contains("From: Acme Energy Billing <billing@acme-energy.test>", source.Replace("\"", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains($"Message-ID: <{SmtpEmailSender.MessageIdFor(message.IdempotencyKey, "billing@acme-energy.test")}>", source, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Your next payment of $50.00 is due on 10 March.", await mail.PlainTextAsync(copy.Id, Cancel), StringComparison.Ordinal);
        Assert.Contains("<p>Your next payment of $50.00 is due on 10 March.</p>", await mail.HtmlAsync(copy.Id, Cancel), StringComparison.Ordinal);
        Assert.Equal((OutboxState.Sent, to), (message.State, message.Recipient));
        Assert.Equal(app.Now, message.SentAt);
        Assert.StartsWith("US-FDCPA", message.SendDecision, StringComparison.Ordinal);
        Assert.Contains("allowed", message.SendDecision, StringComparison.Ordinal);
        Assert.Equal(nameof(SendResult.Accepted), Assert.Single(message.DeliveryAttempts).Outcome);
        var sent = Assert.Single(timeline);
        Assert.Equal((InteractionChannel.Email, InteractionDirection.Outbound, sent.Id), (sent.Channel, sent.Direction, message.InteractionId));
        Assert.Contains("\"Your payment plan\"", sent.Notes, StringComparison.Ordinal);
        Assert.Contains($"message {id}", sent.Notes, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task The_recap_after_an_arrangement_is_rendered_when_it_goes_and_arrives_on_the_preferred_channel(string provider)
    {
        var mail = TestMailServer.Require();
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, OutboxKit.Morning);
        var agent = await app.ClientAsAsync("agent");
        var to = TestMailServer.NewAddress();
        var (_, accountId) = await OutboxKit.AccountAsync(app, agent, to);
        var plan = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/accounts/{accountId}/arrangements")
        {
            Content = JsonContent.Create(new { kind = "promise", firstPaymentOn = "2026-03-10" }),
        };
        plan.Headers.Add("Idempotency-Key", "promise-1");
        Assert.True((await agent.SendAsync(plan, Cancel)).IsSuccessStatusCode);

        // Without a composer a template cannot be rendered: the recap waits, saying why.
        await app.WithDbAsync(db => Sender(db, mail).RunAsync(app.Now, Cancel));
        var waiting = await app.WithDbAsync(db => db.Outbox.SingleAsync(m => m.TemplateKey == "arrangement-recap", Cancel));
        await app.WithDbAsync(async db =>
        {
            var recap = await db.Outbox.SingleAsync(m => m.Id == waiting.Id, Cancel);
            recap.State = OutboxState.Queued;
            await db.SaveChangesAsync(Cancel);
        });
        var summary = await app.WithDbAsync(db => Sender(db, mail, new RecapComposer()).RunAsync(app.Now, Cancel));
        var delivered = await mail.WaitForAsync(to, cancellationToken: Cancel);
        var recap = await app.WithDbAsync(db => db.Outbox.SingleAsync(m => m.Id == waiting.Id, Cancel));

        Assert.Equal(OutboxState.Held, waiting.State);
        Assert.Contains("no template composer", waiting.HeldReason, StringComparison.Ordinal);
        Assert.Equal(1, summary.Sent);
        Assert.Equal("What we agreed today", Assert.Single(delivered).Subject);
        Assert.Equal((OutboxState.Sent, InteractionChannel.Email, "pass"), (recap.State, recap.Channel, recap.LintVerdict));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task An_opt_out_or_a_cease_after_queueing_stops_the_message_when_it_goes_and_an_early_hour_moves_it(string provider)
    {
        var mail = TestMailServer.Require();
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, OutboxKit.Morning);
        var agent = await app.ClientAsAsync("agent");
        var optedOut = TestMailServer.NewAddress();
        var ceased = TestMailServer.NewAddress();
        var early = TestMailServer.NewAddress();
        var (optedOutDebtor, optedOutAccount) = await OutboxKit.AccountAsync(app, agent, optedOut, "ACC-1");
        var (ceasedDebtor, ceasedAccount) = await OutboxKit.AccountAsync(app, agent, ceased, "ACC-2");
        var (_, earlyAccount) = await OutboxKit.AccountAsync(app, agent, early, "ACC-3");
        var optedOutId = await OutboxKit.QueueTextAsync(agent, optedOutAccount, "Hello from Acme.");
        var ceasedId = await OutboxKit.QueueTextAsync(agent, ceasedAccount, "Hello from Acme.");
        var earlyId = await OutboxKit.QueueTextAsync(agent, earlyAccount, "Hello from Acme.");

        await app.WithDbAsync(async db =>
        {
            var contact = await db.DebtorContacts.SingleAsync(c => c.DebtorId == optedOutDebtor && c.Kind == ContactKind.Email, Cancel);
            contact.Consent = ConsentState.OptedOut;
            contact.ConsentChangedAt = app.Now;
            await db.SaveChangesAsync(Cancel);
        });
        Assert.True((await agent.PatchAsJsonAsync($"/api/v1/debtors/{ceasedDebtor}", new { flags = new[] { new { kind = "ceaseCommunication", since = "2026-03-02" } } }, Cancel)).IsSuccessStatusCode);
        await app.WithDbAsync(db => db.Outbox.Where(m => m.Id == earlyId).ExecuteUpdateAsync(s => s.SetProperty(m => m.SendAfter, Instant.FromUtc(2026, 3, 3, 11, 0)), Cancel));

        var now = await app.WithDbAsync(db => Sender(db, mail).RunAsync(app.Now, Cancel));
        var atSix = await app.WithDbAsync(db => Sender(db, mail).RunAsync(Instant.FromUtc(2026, 3, 3, 11, 0), Cancel)); // 06:00 in New York
        var messages = await app.WithDbAsync(db => db.Outbox.ToDictionaryAsync(m => m.Id, Cancel));

        Assert.Equal((2, 0, 2), (now.Claimed, now.Sent, now.Held));
        Assert.Equal(OutboxState.Held, messages[optedOutId].State);
        Assert.Contains("no address on file that the debtor has not opted out of", messages[optedOutId].HeldReason, StringComparison.Ordinal);
        Assert.Equal(OutboxState.Held, messages[ceasedId].State);
        Assert.Contains("1006.6(c)", messages[ceasedId].HeldReason, StringComparison.Ordinal);
        Assert.Contains("refused", messages[ceasedId].SendDecision, StringComparison.Ordinal);
        Assert.Equal((1, 1), (atSix.Claimed, atSix.Waiting));
        Assert.Equal(OutboxState.Queued, messages[earlyId].State);
        Assert.Equal(Instant.FromUtc(2026, 3, 3, 13, 0), messages[earlyId].SendAfter); // 08:00 in New York
        Assert.Empty(await mail.DeliveredToAsync(optedOut, Cancel));
        Assert.Empty(await mail.DeliveredToAsync(ceased, Cancel));
        Assert.Empty(await mail.DeliveredToAsync(early, Cancel));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task The_validation_notice_dates_the_validation_period_from_its_actual_send(string provider)
    {
        var mail = TestMailServer.Require();
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, OutboxKit.Morning);
        var agent = await app.ClientAsAsync("agent");
        var to = TestMailServer.NewAddress();
        var (_, accountId) = await OutboxKit.AccountAsync(app, agent, to);
        await OutboxKit.QueueRowAsync(app, accountId, "validation-notice", $"validation:{accountId}");

        var summary = await app.WithDbAsync(db => Sender(db, mail, new RecapComposer()).RunAsync(app.Now, Cancel));
        var account = await app.WithDbAsync(db => db.Accounts.SingleAsync(a => a.Id == accountId, Cancel));

        Assert.Equal(1, summary.Sent);
        Assert.Equal(app.Now, account.ValidationNoticeSentAt);
        Assert.Equal(RegulationF.ValidationPeriodEnd(new LocalDate(2026, 3, 2)), account.ValidationPeriodEnd);
    }

    private static readonly HttpClient Http = new();

    /// <summary>The message as received, headers first (smtp4dev's /raw; its /source gives a body part).</summary>
    internal static Task<string> RawAsync(TestMailServer mail, string id) => Http.GetStringAsync(new Uri(mail.Api, $"api/messages/{id}/raw"), Cancel);

    /// <summary>Stands in for the template composer: a fixed recap, as a rendered template would read.</summary>
    private sealed class RecapComposer : IMessageComposer
    {
        public Task<RenderedMessage> ComposeAsync(DunwellDb db, OutboxMessage message, ContactChannel channel, Instant at, CancellationToken cancellationToken) =>
            Task.FromResult(new RenderedMessage("What we agreed today", "You promised to pay on 10 March. Thank you.", "<p>You promised to pay on 10 March. Thank you.</p>", "en-US", null, new LintResult([])));
    }
}
