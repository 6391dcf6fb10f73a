using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dunwell.Data;
using Dunwell.Domain.Accounts;
using Dunwell.Features.Compliance;
using Dunwell.Features.Inbound;
using Dunwell.Tests.Features.Pages;
using Dunwell.Tests.Support;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Dunwell.Tests.Features.Inbound;

public sealed class InboundReplyTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_reply_goes_once_at_an_inconvenient_time_and_the_response_times_show_on_the_page_and_api(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Instant.FromUtc(2026, 3, 3, 15, 0)); // Tuesday 10:00 in New York
        var accountId = await PageSession.SeedAccountAsync(app);
        await app.WithDbAsync(async db =>
        {
            // The customer said no time is convenient: collection email is refused all day.
            db.Set<DebtorInconvenientTime>().Add(new DebtorInconvenientTime { DebtorId = await db.Debtors.Select(d => d.Id).SingleAsync(Cancel), From = LocalTime.Midnight, Until = LocalTime.Midnight });
            await db.SaveChangesAsync(Cancel);
        });
        // The recording function is the channel's, whatever the channel: the portal will call it the same way.
        var email = await app.WithDbAsync(async db => ((InboundOutcome.Recorded)await RecordInbound.RunAsync(db,
            new InboundArrival(InteractionChannel.Email, "test:1", "Dana.Whitfield@example.com", null, "Question", "Can you tell me what this fee is?", app.Now), app.Now, Cancel)).Message.Id);
        await using var sms = InboundKit.WithSmsProvider(app);
        await InboundKit.TextAsync(sms.CreateClient(), "+15185550142", "Is this still open?", "SM-OPEN");
        var agent = await app.ClientAsAsync(Roles.Agent, "NWU");

        app.Clock.Advance(TimeSpan.FromMinutes(90));
        var reply = await agent.PostAsJsonAsync($"/api/v1/inbound/{email}/reply", new { text = "The fee is the late charge from January; here is the detail." }, Cancel);
        var again = await agent.PostAsJsonAsync($"/api/v1/inbound/{email}/reply", new { text = "And once more." }, Cancel);
        var replied = await reply.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        var reminder = await app.WithDbAsync(async db =>
        {
            var queued = new OutboxMessage { AccountId = accountId, Channel = InteractionChannel.Email, TemplateKey = "reminder", IdempotencyKey = "reminder:x", SendAfter = app.Now, CreatedAt = app.Now };
            db.Outbox.Add(queued);
            await db.SaveChangesAsync(Cancel);
            await OutboxGate.ScreenAsync(db, [queued], app.Now, Cancel);
            return queued;
        });

        Assert.Equal(HttpStatusCode.Created, reply.StatusCode);
        Assert.Equal("queued", replied.GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Null, replied.GetProperty("heldReason").ValueKind);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.False(reminder.State == OutboxState.Queued && reminder.SendAfter == app.Now, "A collection email went at a time the customer called inconvenient.");
        var link = await app.WithDbAsync(db => db.InboundReplies.SingleAsync(Cancel));
        Assert.Equal((email, replied.GetProperty("outboxMessageId").GetInt64()), (link.InboundMessageId, link.OutboxMessageId));

        app.Clock.Advance(TimeSpan.FromDays(2)); // the text's deadline (Wednesday 10:00) passes unanswered
        var supervisor = await app.ClientAsAsync(Roles.Supervisor, "NWU");
        var figures = await supervisor.GetFromJsonAsync<JsonElement>("/api/v1/inbound/response-times", Cancel);
        var tasks = await supervisor.GetFromJsonAsync<JsonElement>("/api/v1/tasks?kind=inboundReply&dueBefore=2026-03-10T00:00:00Z", Cancel);
        var badKind = await supervisor.GetAsync("/api/v1/tasks?kind=someday", Cancel);
        var page = await (await (await PageSession.SignedInAsync(app, Roles.Supervisor, "NWU")).GetAsync("/inbound/replies", Cancel)).Content.ReadAsStringAsync(Cancel);

        Assert.Equal(2, figures.GetProperty("received").GetInt32());
        Assert.Equal(1, figures.GetProperty("answered").GetInt32());
        Assert.Equal(90, figures.GetProperty("medianMinutes").GetDouble());
        Assert.Equal(90, figures.GetProperty("p90Minutes").GetDouble());
        Assert.Equal(1, figures.GetProperty("openPastDeadline").GetInt32());
        Assert.Equal("2026-03-04", figures.GetProperty("breachesPerDay")[0].GetProperty("date").GetString());
        Assert.Equal(1, figures.GetProperty("breachesPerDay")[0].GetProperty("breaches").GetInt32());
        Assert.Equal(1, tasks.GetProperty("tasks").GetArrayLength());
        Assert.Equal("breached", tasks.GetProperty("tasks")[0].GetProperty("deadlineState").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, badKind.StatusCode);
        Assert.Contains("1 h 30 min", page, StringComparison.Ordinal);
        Assert.Contains("Past the deadline", page, StringComparison.Ordinal);
    }
}
