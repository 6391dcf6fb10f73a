using System.Net;
using System.Net.Http.Json;
using Dunwell.Domain.Accounts;
using Dunwell.Tests.Features.Records;
using Dunwell.Tests.Support;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Dunwell.Tests.Features.Interactions;

public sealed class InteractionApiTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static readonly Instant Now = Instant.FromUtc(2026, 3, 2, 16, 0);

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_correction_is_a_new_interaction_and_the_original_shows_what_corrected_it(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var agent = await app.ClientAsAsync(Roles.Agent);
        var (_, accountId) = await RecordsSeed.AccountAsync(app, agent);
        var url = $"/api/v1/accounts/{accountId}/interactions";

        var call = await agent.PostAsJsonAsync(url, new
        {
            channel = "call",
            direction = "outbound",
            occurredAt = "2026-03-02T10:15:00-05:00",
            outcome = "promise",
            conversation = true,
            notes = "Promised 100.00 on Friday",
        }, Cancel);
        var callId = (await call.JsonAsync()).GetProperty("id").GetInt64();
        var note = await agent.PostAsJsonAsync(url, new { channel = "note", occurredAt = "2026-03-02T15:30:00Z", notes = "Sent payment link" }, Cancel);
        var correction = await agent.PostAsJsonAsync(url, new
        {
            channel = "call",
            occurredAt = "2026-03-02T15:45:00Z",
            corrects = callId,
            notes = "The promise was for 120.00, not 100.00",
        }, Cancel);

        Assert.Equal(HttpStatusCode.Created, call.StatusCode);
        Assert.Equal($"/api/v1/accounts/{accountId}/interactions/{callId}", call.Headers.Location?.ToString());
        Assert.Equal(HttpStatusCode.Created, note.StatusCode);
        Assert.Equal(HttpStatusCode.Created, correction.StatusCode);
        var correctionBody = await correction.JsonAsync();
        Assert.Equal("correction", correctionBody.GetProperty("outcome").GetString());
        Assert.Equal(callId, correctionBody.GetProperty("corrects").GetInt64());

        var timeline = (await (await agent.GetAsync(url, Cancel)).JsonAsync()).EnumerateArray().ToList();
        Assert.Equal(
            ["2026-03-02T15:45:00+00:00", "2026-03-02T15:30:00+00:00", "2026-03-02T15:15:00+00:00"],
            timeline.Select(i => i.GetProperty("occurredAt").GetString()));
        var original = timeline[2];
        Assert.Equal("Promised 100.00 on Friday", original.GetProperty("notes").GetString());
        Assert.Equal([correctionBody.GetProperty("id").GetInt64()], original.GetProperty("correctedBy").EnumerateArray().Select(e => e.GetInt64()));
        Assert.Equal("internal", timeline[1].GetProperty("direction").GetString());
        Assert.StartsWith("apikey:test-agent-", original.GetProperty("author").GetString(), StringComparison.Ordinal);
        Assert.Equal(3, await app.WithDbAsync(db => db.AuditEvents.CountAsync(a => a.Action == "interaction.create", Cancel)));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Bad_interactions_are_named_and_not_recorded(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var agent = await app.ClientAsAsync(Roles.Agent);
        var (_, accountId) = await RecordsSeed.AccountAsync(app, agent);
        var url = $"/api/v1/accounts/{accountId}/interactions";

        var future = await agent.PostAsJsonAsync(url, new { channel = "call", occurredAt = "2026-03-03T16:00:00Z" }, Cancel);
        var foreignCorrection = await agent.PostAsJsonAsync(url, new { channel = "note", corrects = 424242, notes = "x" }, Cancel);
        var unknownChannel = await agent.PostAsJsonAsync(url, new { channel = "pigeon" }, Cancel);
        var noOffset = await agent.PostAsJsonAsync(url, new { channel = "call", occurredAt = "yesterday" }, Cancel);
        var missingAccount = await agent.PostAsJsonAsync("/api/v1/accounts/999999/interactions", new { channel = "call" }, Cancel);

        Assert.Equal(["occurredAt"], (await future.JsonAsync()).ErrorFields());
        Assert.Equal(["corrects"], (await foreignCorrection.JsonAsync()).ErrorFields());
        Assert.Equal(["channel"], (await unknownChannel.JsonAsync()).ErrorFields());
        Assert.Equal(["occurredAt"], (await noOffset.JsonAsync()).ErrorFields());
        Assert.Equal(HttpStatusCode.NotFound, missingAccount.StatusCode);
        Assert.Equal(0, await app.WithDbAsync(db => db.Interactions.CountAsync(Cancel)));
    }
}
