using System.Net;
using System.Net.Http.Json;
using Dunwell.Domain.Accounts;
using Dunwell.Tests.Features.Pages;
using Dunwell.Tests.Features.Records;
using Dunwell.Tests.Support;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Dunwell.Tests.Features.Audit;

/// <summary>
/// Every GET route and page that shows a debtor's data leaves an audit event about that debtor (or their account) by
/// the reader. The routes come from the running app; a new GET route is held to this unless it is listed below as
/// showing no personal data.
/// </summary>
public sealed class PersonalDataReadsTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>Routes that show no debtor's data: configuration, counts, sign-in, and the audit trail (audited as "audit").</summary>
    private static readonly string[] NoPersonalData =
    [
        "/", "/signin", "/denied", "/audit", "/admin/creditors", "/admin/creditors/{Reference}", "/admin/policies",
        "/admin/creditors/{Reference}/policy", "/admin/creditors/{Reference}/policy/versions/{Version:int}", "/admin/rates",
        "/api/v1/creditors", "/api/v1/creditors/{reference}", "/api/v1/creditors/{reference}/policy",
        "/api/v1/creditors/{reference}/policy/versions", "/api/v1/creditors/{reference}/policy/versions/{version:int}",
        "/api/v1/reference-rates/{series}", "/api/v1/audit", "/api/v1/audit/verify",

        // Staff and integrations, not debtors: who signs in, with which role and creditors.
        "/admin/users", "/admin/users/{Id}", "/admin/apikeys",

        // A plain visit to where the account page's forms post only redirects to the account page.
        "/accounts/{Id:long}/record",

        // Message templates (the default set and creditors' wording, no customer's data until previewed against an
        // account), letter batches (counts per creditor) and reply-time figures.
        "/api/v1/templates", "/api/v1/templates/history", "/api/v1/templates/versions/{id:long}", "/templates", "/templates/edit",
        "/letters", "/api/v1/inbound/response-times",

        // Not asked yet (issue 11 note): triage, parked messages and one inbound message audit each customer they
        // show, but this seed has none of them; the replies page and the tasks API do not audit their rows yet.
        "/inbound/triage", "/inbound/replies", "/outbox/parked", "/api/v1/tasks", "/api/v1/inbound/{id:long}",
    ];

    private static HttpRequestMessage Keyed(HttpMethod method, string url, object body, string key)
    {
        var request = new HttpRequestMessage(method, url) { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key);
        return request;
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Every_read_of_a_debtors_data_by_api_or_page_is_audited_under_that_debtor(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Instant.FromUtc(2026, 3, 2, 16, 0));
        var agent = await app.ClientAsAsync(Roles.Agent);
        var (debtorId, accountId) = await RecordsSeed.AccountAsync(app, agent);
        var entryId = (await (await agent.SendAsync(Keyed(HttpMethod.Post, $"/api/v1/accounts/{accountId}/payments", new { amount = "1.00", paidOn = "2026-03-01" }, "pay-1"), Cancel))
            .JsonAsync()).GetProperty("entryId").GetInt64();
        var interactionId = (await (await agent.PostAsJsonAsync($"/api/v1/accounts/{accountId}/interactions", new { channel = "note", notes = "Called back" }, Cancel))
            .JsonAsync()).GetProperty("id").GetInt64();
        var disputeId = (await (await agent.SendAsync(Keyed(HttpMethod.Post, $"/api/v1/accounts/{accountId}/disputes", new { receivedAt = "2026-03-01T12:00:00Z", written = true, amount = "1.00" }, "dispute-1"), Cancel))
            .JsonAsync()).GetProperty("dispute").GetProperty("id").GetInt64();
        var proposed = await agent.SendAsync(Keyed(HttpMethod.Post, $"/api/v1/accounts/{accountId}/arrangements",
            new { kind = "plan", firstPaymentOn = "2026-03-09", frequency = "monthly", instalments = 10 }, "plan-1"), Cancel);
        Assert.Equal(HttpStatusCode.Created, proposed.StatusCode);
        var arrangementId = (await proposed.JsonAsync()).GetProperty("id").GetInt64();

        var api = await app.ClientAsAsync(Roles.Auditor);
        var pages = await PageSession.SignedInAsync(app, Roles.Auditor);
        var reads = AppRoutes.All(app).Where(r => r.Method == "GET" && !NoPersonalData.Contains(r.Pattern)).ToList();
        var about = new[] { $"debtor:{debtorId}", $"account:{accountId}" };
        var unaudited = new List<string>();
        foreach (var route in reads)
        {
            var url = AppRoutes.Fill(route.Pattern, (name, pattern) => (name, pattern) switch
            {
                ("id", _) when pattern.StartsWith("/api/v1/debtors/", StringComparison.Ordinal) => $"{debtorId}",
                ("id", _) when pattern.StartsWith("/api/v1/arrangements/", StringComparison.Ordinal) => $"{arrangementId}",
                ("entryId", _) => $"{entryId}",
                ("interactionId", _) => $"{interactionId}",
                ("disputeId", _) => $"{disputeId}",
                _ => $"{accountId}",
            }) + Query(route.Pattern);
            var before = await app.WithDbAsync(db => db.AuditEvents.MaxAsync(e => e.Id, Cancel));

            var response = await (route.IsApi ? api : pages).GetAsync(url, Cancel);

            var events = await app.WithDbAsync(db => db.AuditEvents.Where(e => e.Id > before && about.Contains(e.Subject)).Select(e => e.Action).ToListAsync(Cancel));
            if (response.StatusCode != HttpStatusCode.OK || events.Count == 0)
            {
                unaudited.Add($"{route} ({url}): {(int)response.StatusCode}, audit events about the debtor: {events.Count}");
            }
        }

        Assert.True(reads.Count >= 15, $"only {reads.Count} personal-data reads found");
        Assert.Empty(unaudited);
    }

    // Searches need something to search for; the eligibility question needs a channel.
    private static string Query(string pattern) => pattern switch
    {
        "/accounts" or "/accounts/results" or "/api/v1/accounts" => "?q=Jane",
        _ when pattern.EndsWith("/contact-eligibility", StringComparison.Ordinal) => "?channel=call",
        _ => "",
    };
}
