using System.Net;
using Dunwell.Data;
using Dunwell.Domain.Accounts;
using Dunwell.Features.Messages;
using Dunwell.Features.Messages.Sms;
using Dunwell.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NodaTime;

namespace Dunwell.Tests.Features.Messages;

/// <summary>
/// Texts sent through a real HTTP listener standing in for the provider (<see cref="TestSmsProvider"/>): what it is
/// sent, what each of its answers means for the message, and its signed delivery receipts coming back over a real socket.
/// </summary>
public sealed class SmsDeliveryTests
{
    private static readonly Instant Now = Instant.FromUtc(2026, 3, 2, 15, 0);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static async Task<(TestApp App, TestSmsProvider Provider)> StartAsync(TestDatabase database, bool onRealSocket = false)
    {
        var app = await TestApp.StartAsync(database, Now, onRealSocket);
        var provider = await TestSmsProvider.StartAsync();
        var publicUrl = new Uri(app.ServerAddress ?? "https://dunwell.example/");
        provider.Configure(app.Services.GetRequiredService<IOptions<SmsProviderOptions>>().Value, publicUrl);
        return (app, provider);
    }

    private static SmsSender Sender(TestApp app) => app.Services.GetServices<IChannelSender>().OfType<SmsSender>().Single();

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_text_goes_to_the_provider_with_its_fields_the_creditors_number_and_the_account_credentials(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var (app, sms) = await StartAsync(database);
        await using var _ = app;
        await using var __ = sms;
        var acme = await MessagesSeed.CreditorAsync(app, "ACME", "US-FDCPA", "America/New_York", smsSender: "+12125550199");
        var beta = await MessagesSeed.CreditorAsync(app, "BETA", "UK-FCA", "Europe/London");
        var acmeAccount = await MessagesSeed.AccountAsync(app, acme, "ACC-1");
        var betaAccount = await MessagesSeed.AccountAsync(app, beta, "BRI-1", uk: true);

        var fromCreditor = await Sender(app).SendAsync(MessagesSeed.Outgoing(1, acmeAccount, acme, "+12125550143", "Your payment of $50.00 is due on 15 March. Reply STOP to opt out."), Cancel);
        var fromDefault = await Sender(app).SendAsync(MessagesSeed.Outgoing(2, betaAccount, beta, "+447700900123", "Thank you for your payment."), Cancel);

        Assert.Equal(SendResult.Accepted, fromCreditor.Result);
        Assert.Equal(SendResult.Accepted, fromDefault.Result);
        var received = sms.Messages;
        Assert.Equal(2, received.Count);
        Assert.Equal(fromCreditor.ProviderMessageId, received[0].Sid);
        Assert.Equal(fromDefault.ProviderMessageId, received[1].Sid);
        Assert.Equal(("+12125550143", "+12125550199"), (received[0].To, received[0].From)); // the creditor's own number
        Assert.Equal(("+447700900123", TestSmsProvider.From), (received[1].To, received[1].From)); // none set: the configured one
        Assert.Equal("Your payment of $50.00 is due on 15 March. Reply STOP to opt out.", received[0].Body);
        Assert.All(received, m => Assert.Equal((TestSmsProvider.AccountSid, TestSmsProvider.AuthToken), (m.User, m.Password)));
        Assert.All(received, m => Assert.Equal("https://dunwell.example/webhooks/sms/status", m.StatusCallback));
    }

    [Fact]
    public async Task Each_provider_answer_maps_to_retry_reject_or_unknown_and_a_timeout_is_never_called_a_failure()
    {
        await using var database = await TestDatabase.CreateAsync("sqlite");
        var (app, sms) = await StartAsync(database);
        await using var _ = app;
        await using var __ = sms;
        var acme = await MessagesSeed.CreditorAsync(app, "ACME", "US-FDCPA", "America/New_York");
        var account = await MessagesSeed.AccountAsync(app, acme, "ACC-1");
        var options = app.Services.GetRequiredService<IOptions<SmsProviderOptions>>();
        // A sender whose attempts give up after a second, so the hanging provider runs its timeout out quickly.
        var quick = new ServiceCollection();
        quick.AddHttpClient(SmsSender.ClientName, c => c.Timeout = TimeSpan.FromSeconds(1));
        await using var quickServices = quick.BuildServiceProvider();
        var sender = new SmsSender(quickServices.GetRequiredService<IHttpClientFactory>(), options, app.Services.GetRequiredService<IServiceScopeFactory>());
        Task<SendOutcome> SendAsync() => sender.SendAsync(MessagesSeed.Outgoing(1, account, acme, "+12125550143", "Hello"), Cancel);

        sms.FailNext(TestSmsProvider.Failure.TooManyRequests);
        var throttled = await SendAsync();
        sms.FailNext(TestSmsProvider.Failure.ServerError);
        var failed = await SendAsync();
        sms.FailNext(TestSmsProvider.Failure.InvalidNumber);
        var invalid = await SendAsync();
        sms.FailNext(TestSmsProvider.Failure.Hang);
        var hung = await SendAsync();

        Assert.Equal(SendResult.Transient, throttled.Result);
        Assert.Contains("429", throttled.Detail, StringComparison.Ordinal);
        Assert.Equal(SendResult.Transient, failed.Result);
        Assert.Equal(SendResult.Rejected, invalid.Result);
        Assert.Contains("21211", invalid.Detail, StringComparison.Ordinal);
        Assert.Contains("not a valid phone number", invalid.Detail, StringComparison.Ordinal);
        Assert.Equal(SendResult.Unknown, hung.Result); // it may have gone out: a person reconciles it, nothing resends it
        Assert.Null(hung.ProviderMessageId);
        Assert.Empty(sms.Messages);

        // Nothing listening at all: refused before anything was sent, so it can be tried again.
        options.Value.BaseUrl = new Uri("http://127.0.0.1:9/");
        var unreachable = await SendAsync();
        Assert.Equal(SendResult.Transient, unreachable.Result);

        // Not configured: nothing can go, and the answer names the settings.
        options.Value.AuthToken = null;
        var unconfigured = await SendAsync();
        Assert.Equal(SendResult.Transient, unconfigured.Result);
        Assert.Contains("Dunwell:Sms", unconfigured.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Signed_receipts_move_a_text_to_delivered_or_bounced_once_and_a_forged_or_replayed_one_changes_nothing(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var (app, sms) = await StartAsync(database, onRealSocket: true);
        await using var _ = app;
        await using var __ = sms;
        var acme = await MessagesSeed.CreditorAsync(app, "ACME", "US-FDCPA", "America/New_York");
        var account = await MessagesSeed.AccountAsync(app, acme, "ACC-1");
        var first = await Sender(app).SendAsync(MessagesSeed.Outgoing(1, account, acme, "+12125550143", "First"), Cancel);
        var second = await Sender(app).SendAsync(MessagesSeed.Outgoing(2, account, acme, "+12125550144", "Second"), Cancel);
        Assert.StartsWith(app.ServerAddress!.TrimEnd('/'), sms.Messages[0].StatusCallback, StringComparison.Ordinal);
        var delivered = await MessagesSeed.OutboxAsync(app, account, InteractionChannel.Sms, "sms:1", OutboxState.Sent, first.ProviderMessageId);
        var phone = await app.WithDbAsync(db => db.DebtorContacts.Where(c => c.Value == "+12125550144").Select(c => c.Id).SingleAsync(Cancel));
        var bounced = await MessagesSeed.OutboxAsync(app, account, InteractionChannel.Sms, "sms:2", OutboxState.Sent, second.ProviderMessageId, phone);

        // Forged: signed with another token. Refused, and nothing moves.
        var forged = await sms.SendReceiptAsync(first.ProviderMessageId!, "delivered", token: "someone-elses-token");
        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        Assert.Equal(OutboxState.Sent, await MessagesSeed.StateAsync(app, delivered));

        // Unsigned: refused the same way.
        using var unsigned = new HttpClient();
        var bare = await unsigned.PostAsync(sms.Messages[0].StatusCallback, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["MessageSid"] = first.ProviderMessageId!,
            ["MessageStatus"] = "delivered",
        }), Cancel);
        Assert.Equal(HttpStatusCode.Forbidden, bare.StatusCode);
        Assert.Equal(OutboxState.Sent, await MessagesSeed.StateAsync(app, delivered));

        // "sent" says nothing new; "delivered" delivers; the same receipt again, or a late "undelivered", changes nothing.
        Assert.Equal(HttpStatusCode.NoContent, (await sms.SendReceiptAsync(first.ProviderMessageId!, "sent")).StatusCode);
        Assert.Equal(OutboxState.Sent, await MessagesSeed.StateAsync(app, delivered));
        Assert.Equal(HttpStatusCode.NoContent, (await sms.SendReceiptAsync(first.ProviderMessageId!, "delivered")).StatusCode);
        Assert.Equal(OutboxState.Delivered, await MessagesSeed.StateAsync(app, delivered));
        Assert.Equal(HttpStatusCode.NoContent, (await sms.SendReceiptAsync(first.ProviderMessageId!, "delivered")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await sms.SendReceiptAsync(first.ProviderMessageId!, "undelivered", "30003")).StatusCode);
        Assert.Equal(OutboxState.Delivered, await MessagesSeed.StateAsync(app, delivered));

        // Undeliverable: bounced, and a replay, or a late "sent", leaves it so.
        Assert.Equal(HttpStatusCode.NoContent, (await sms.SendReceiptAsync(second.ProviderMessageId!, "undelivered", "30005")).StatusCode);
        Assert.Equal(OutboxState.Bounced, await MessagesSeed.StateAsync(app, bounced));
        Assert.Equal(HttpStatusCode.NoContent, (await sms.SendReceiptAsync(second.ProviderMessageId!, "undelivered", "30005")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await sms.SendReceiptAsync(second.ProviderMessageId!, "delivered")).StatusCode);
        Assert.Equal(OutboxState.Bounced, await MessagesSeed.StateAsync(app, bounced));
        // Recorded once, on the number (so the rules know a notice sent there did not arrive) and on the timeline.
        var contact = await app.WithDbAsync(db => db.DebtorContacts.SingleAsync(c => c.Id == phone, Cancel));
        Assert.Equal(Now, contact.UndeliverableSince);
        Assert.Contains("30005", contact.UndeliverableReason, StringComparison.Ordinal);
        var notes = await app.WithDbAsync(db => db.Interactions.Where(i => i.AccountId == account).Select(i => i.Notes).ToListAsync(Cancel));
        var note = Assert.Single(notes);
        Assert.Contains("not delivered", note, StringComparison.Ordinal);
        Assert.Contains("undelivered (error 30005)", note, StringComparison.Ordinal);

        // A receipt for a message Dunwell never sent: not found.
        var stranger = await sms.PostSignedAsync(new Uri(sms.Messages[0].StatusCallback!), new Dictionary<string, string> { ["MessageSid"] = "SMunknown", ["MessageStatus"] = "delivered" });
        Assert.Equal(HttpStatusCode.NotFound, stranger.StatusCode);
    }
}
