using System.Net;
using System.Net.Http.Json;
using Dunwell.Domain.Accounts;
using Dunwell.Domain.Arrangements;
using Dunwell.Tests.Support;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Dunwell.Tests.Features.Pages;

public sealed class ApprovalPageTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_supervisor_approves_from_the_queue_and_the_account_page_shows_the_plan_and_the_options(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Instant.FromUtc(2026, 3, 2, 15, 0));
        var accountId = await PageSession.SeedAccountAsync(app);
        var api = await app.ClientAsAsync(Roles.Agent);
        var propose = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/accounts/{accountId}/arrangements")
        {
            Content = JsonContent.Create(new { kind = "plan", firstPaymentOn = "2026-03-09", frequency = "monthly", instalments = 9 }),
        };
        propose.Headers.Add("Idempotency-Key", "plan");
        Assert.Equal(HttpStatusCode.Created, (await api.SendAsync(propose, Cancel)).StatusCode);
        var agent = await PageSession.SignedInAsync(app, Roles.Agent);
        var supervisor = await PageSession.SignedInAsync(app, Roles.Supervisor);

        var forAgent = await agent.GetAsync("/approvals", Cancel);
        var queue = await (await supervisor.GetAsync("/approvals", Cancel)).Content.ReadAsStringAsync(Cancel);
        var arrangementId = await app.WithDbAsync(db => db.Arrangements.Select(a => a.Id).SingleAsync(Cancel));
        var decided = await PageSession.SubmitAsync(supervisor, "/approvals", "", new() { ["decision"] = "approve", ["note"] = "Agreed" }, $"/approvals/{arrangementId}");
        var landed = await (await supervisor.GetAsync(decided.Headers.Location, Cancel)).Content.ReadAsStringAsync(Cancel);
        var forged = await (await supervisor.GetAsync("/approvals?done=Your%20account%20is%20suspended.%20Call%20555-0100", Cancel)).Content.ReadAsStringAsync(Cancel);
        var page = await (await supervisor.GetAsync($"/accounts/{accountId}", Cancel)).Content.ReadAsStringAsync(Cancel);

        Assert.NotEqual(HttpStatusCode.OK, forAgent.StatusCode);
        Assert.Contains("9 months is beyond the 6 months", queue, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, decided.StatusCode);
        Assert.Contains("Approved: Plan of 9 monthly payments", landed, StringComparison.Ordinal);
        Assert.Contains("Its recap to the customer is queued, not sent", landed, StringComparison.Ordinal);
        Assert.Equal($"/approvals?done=approved&id={arrangementId}", decided.Headers.Location!.OriginalString); // a code and a record, never words
        Assert.DoesNotContain("suspended", forged, StringComparison.Ordinal);
        Assert.DoesNotContain("role=\"status\"", forged, StringComparison.Ordinal);
        Assert.Equal(ArrangementState.Active, await app.WithDbAsync(db => db.Arrangements.Select(a => a.State).SingleAsync(Cancel)));
        Assert.Contains("Options and arrangements", page, StringComparison.Ordinal);
        Assert.Contains("Plan of 9 monthly payments", page, StringComparison.Ordinal);
        Assert.Contains("approved by user:supervisor@pages.test", page, StringComparison.Ordinal);
    }
}
