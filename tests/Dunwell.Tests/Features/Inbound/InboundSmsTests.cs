using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dunwell.Data;
using Dunwell.Domain.Accounts;
using Dunwell.Domain.Inbound;
using Dunwell.Tests.Features.Pages;
using Dunwell.Tests.Support;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Dunwell.Tests.Features.Inbound;

public sealed class InboundSmsTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_signed_text_on_Friday_evening_is_recorded_once_masked_flagged_and_due_at_Mondays_close(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Instant.FromUtc(2026, 3, 7, 0, 0)); // Friday 19:00 in New York
        var accountId = await PageSession.SeedAccountAsync(app);
        await using var sms = InboundKit.WithSmsProvider(app);
        var provider_ = sms.CreateClient();

        var first = await InboundKit.TextAsync(provider_, "+15185550142", "I have a lawyer now. My card is 4111 1111 1111 1111", "SM-1");
        var replayed = await InboundKit.TextAsync(provider_, "+15185550142", "I have a lawyer now. My card is 4111 1111 1111 1111", "SM-1");
        var forged = await InboundKit.TextAsync(provider_, "+15185550142", "Send it to my other number", "SM-2", signWith: "not-the-token");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, replayed.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        var message = await app.WithDbAsync(db => db.InboundMessages.SingleAsync(Cancel));
        Assert.Equal(InboundState.Recorded, message.State);
        Assert.Equal(accountId, message.AccountId);
        Assert.Equal("number", message.MatchedBy);
        Assert.Equal(InboundSignals.Attorney, message.Flags);
        Assert.Contains("**** **** **** 1111", message.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("4111 1111", message.Body, StringComparison.Ordinal);
        var task = await app.WithDbAsync(db => db.Tasks.SingleAsync(t => t.Kind == WorkTaskKind.InboundReply, Cancel));
        Assert.Equal(Instant.FromUtc(2026, 3, 9, 21, 0), task.DueAt); // Monday 17:00 in New York, after the clocks went forward
        Assert.Contains("names an attorney", task.Title, StringComparison.Ordinal);
        var interaction = await app.WithDbAsync(db => db.Interactions.SingleAsync(Cancel));
        Assert.Equal((InteractionChannel.Sms, InteractionDirection.Inbound), (interaction.Channel, interaction.Direction));
        Assert.Contains("Flagged for the agent: names an attorney", interaction.Notes, StringComparison.Ordinal);
        Assert.DoesNotContain("4111 1111", interaction.Notes, StringComparison.Ordinal);
        Assert.Equal(ConsentState.Unknown, await app.WithDbAsync(db => db.DebtorContacts.Where(c => c.Kind == ContactKind.Phone).Select(c => c.Consent).SingleAsync(Cancel)));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Stop_as_the_whole_text_opts_the_number_out_at_once_and_says_so_on_the_timeline(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Instant.FromUtc(2026, 3, 3, 15, 0));
        await PageSession.SeedAccountAsync(app);
        await using var sms = InboundKit.WithSmsProvider(app);

        var response = await InboundKit.TextAsync(sms.CreateClient(), "+15185550142", "Stop", "SM-STOP");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var phone = await app.WithDbAsync(db => db.DebtorContacts.SingleAsync(c => c.Kind == ContactKind.Phone, Cancel));
        Assert.Equal(ConsentState.OptedOut, phone.Consent);
        Assert.Equal(Instant.FromUtc(2026, 3, 3, 15, 0), phone.ConsentChangedAt);
        var notes = await app.WithDbAsync(db => db.Interactions.Select(i => i.Notes).SingleAsync(Cancel));
        Assert.Contains("opted out of texts at once", notes, StringComparison.Ordinal);
        Assert.Equal(0, await app.WithDbAsync(db => db.Tasks.CountAsync(Cancel))); // nothing to answer: the opt-out is the answer
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task An_unmatched_text_waits_in_triage_for_its_creditor_only_and_assigning_it_records_it(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Instant.FromUtc(2026, 3, 3, 15, 0));
        var accountId = await PageSession.SeedAccountAsync(app);
        await InboundKit.SeedOtherCreditorAsync(app);
        await using var sms = InboundKit.WithSmsProvider(app);
        await InboundKit.TextAsync(sms.CreateClient(), "+15185550199", "This is about NWU-100001, call me on this number", "SM-NEW");
        await InboundKit.TextAsync(sms.CreateClient(), "+15185550188", "who is this?", "SM-WHO");
        var quoted = await app.WithDbAsync(db => db.InboundMessages.SingleAsync(m => m.SourceKey == "sms:SM-NEW", Cancel));
        var unknown = await app.WithDbAsync(db => db.InboundMessages.SingleAsync(m => m.SourceKey == "sms:SM-WHO", Cancel));
        var other = await app.ClientAsAsync(Roles.Supervisor, "OTH");
        var own = await app.ClientAsAsync(Roles.Supervisor, "NWU");
        var otherPage = await PageSession.SignedInAsync(app, Roles.Supervisor, "OTH");
        var agent = await PageSession.SignedInAsync(app, Roles.Agent, "NWU");

        var otherRead = await other.GetAsync($"/api/v1/inbound/{quoted.Id}", Cancel);
        var ownRead = await own.GetAsync($"/api/v1/inbound/{quoted.Id}", Cancel);
        var unknownRead = await own.GetAsync($"/api/v1/inbound/{unknown.Id}", Cancel);
        var otherQueue = await (await otherPage.GetAsync("/inbound/triage", Cancel)).Content.ReadAsStringAsync(Cancel);
        var queue = await (await agent.GetAsync("/inbound/triage", Cancel)).Content.ReadAsStringAsync(Cancel);
        var assigned = await PageSession.SubmitAsync(agent, "/inbound/triage", "", new() { ["account"] = "NWU-100001" }, $"/inbound/{quoted.Id}/assign");
        var landed = await (await agent.GetAsync(assigned.Headers.Location, Cancel)).Content.ReadAsStringAsync(Cancel);
        var otherTasks = await other.GetFromJsonAsync<JsonElement>("/api/v1/tasks?kind=inboundReply", Cancel);
        var ownTasks = await own.GetFromJsonAsync<JsonElement>("/api/v1/tasks?kind=inboundReply", Cancel);

        Assert.Equal(InboundState.Triage, quoted.State);
        Assert.Contains("names account NWU-100001, but the sender", quoted.TriageReason, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, otherRead.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ownRead.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknownRead.StatusCode); // no creditor known yet: only callers acting for all see it
        Assert.DoesNotContain("call me on this number", otherQueue, StringComparison.Ordinal);
        Assert.Contains("call me on this number", queue, StringComparison.Ordinal);
        Assert.DoesNotContain("who is this?", queue, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, assigned.StatusCode);
        Assert.Contains("Assigned to account NWU-100001", landed, StringComparison.Ordinal);
        var recorded = await app.WithDbAsync(db => db.InboundMessages.SingleAsync(m => m.Id == quoted.Id, Cancel));
        Assert.Equal((InboundState.Recorded, accountId, "assigned"), (recorded.State, recorded.AccountId, recorded.MatchedBy));
        Assert.Equal("user:agent.NWU@pages.test", recorded.AssignedBy);
        Assert.Equal(0, otherTasks.GetProperty("tasks").GetArrayLength());
        Assert.Equal(accountId, ownTasks.GetProperty("tasks")[0].GetProperty("accountId").GetInt64());
    }
}
