using System.Net;
using System.Net.Http.Json;
using Dunwell.Domain.Accounts;
using Dunwell.Tests.Features.Records;
using Dunwell.Tests.Support;
using NodaTime;

namespace Dunwell.Tests.Features.Auth;

/// <summary>Every records endpoint against every role: auditors read but never write, reversals need a supervisor, no key is 401.</summary>
public sealed class RoleTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private sealed record Endpoint(string Name, string Needs, Func<string, HttpRequestMessage> Request);

    private static HttpRequestMessage Json(HttpMethod method, string url, object body, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(method, url) { Content = JsonContent.Create(body) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return request;
    }

    private static bool Allowed(string needs, string role) => needs switch
    {
        "read" => true,
        "agent" => role != Roles.Auditor,
        "supervisor" => role is Roles.Supervisor or Roles.Admin,
        _ => throw new ArgumentOutOfRangeException(nameof(needs), needs, null),
    };

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Each_endpoint_admits_exactly_the_roles_its_policy_names(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Instant.FromUtc(2026, 3, 2, 15, 0));
        var clients = new Dictionary<string, HttpClient>();
        foreach (var role in Roles.All)
        {
            clients[role] = await app.ClientAsAsync(role);
        }

        var admin = clients[Roles.Admin];
        var (debtorId, accountId) = await RecordsSeed.AccountAsync(app, admin);
        var payments = new Dictionary<string, long>();
        foreach (var role in Roles.All)
        {
            var paid = await admin.SendAsync(Json(HttpMethod.Post, $"/api/v1/accounts/{accountId}/payments", new { amount = "1.00", paidOn = "2026-03-01" }, $"seed-{role}"), Cancel);
            payments[role] = (await paid.JsonAsync()).GetProperty("entryId").GetInt64();
        }

        var entryId = payments[Roles.Admin];
        var disputes = new Dictionary<string, long>();
        foreach (var role in Roles.All.Append("anonymous"))
        {
            var recorded = await admin.SendAsync(Json(HttpMethod.Post, $"/api/v1/accounts/{accountId}/disputes", new { receivedAt = "2026-03-01T12:00:00Z", written = true, amount = "1.00" }, $"seed-dispute-{role}"), Cancel);
            disputes[role] = (await recorded.JsonAsync()).GetProperty("dispute").GetProperty("id").GetInt64();
        }

        Endpoint[] endpoints =
        [
            new("POST /debtors", "agent", role => Json(HttpMethod.Post, "/api/v1/debtors", RecordsSeed.Debtor($"D-{role}"))),
            new("GET /debtors/{id}", "read", _ => new(HttpMethod.Get, $"/api/v1/debtors/{debtorId}")),
            new("PATCH /debtors/{id}", "agent", role => Json(HttpMethod.Patch, $"/api/v1/debtors/{debtorId}", new { preferences = new { toneNotes = (string?)null }, city = $"City of {role}" })),
            new("POST /accounts", "agent", role => Json(HttpMethod.Post, "/api/v1/accounts", RecordsSeed.Account(debtorId, $"ACC-{role}"))),
            new("GET /accounts/{id}", "read", _ => new(HttpMethod.Get, $"/api/v1/accounts/{accountId}")),
            new("GET /accounts", "read", _ => new(HttpMethod.Get, "/api/v1/accounts?q=ACC")),
            new("POST /accounts/{id}/payments", "agent", role => Json(HttpMethod.Post, $"/api/v1/accounts/{accountId}/payments", new { amount = "2.00", paidOn = "2026-03-01" }, $"role-{role}")),
            new("GET /accounts/{id}/ledger/{entryId}", "read", _ => new(HttpMethod.Get, $"/api/v1/accounts/{accountId}/ledger/{entryId}")),
            new("POST /accounts/{id}/ledger/{entryId}/reversal", "supervisor", role => Json(HttpMethod.Post, $"/api/v1/accounts/{accountId}/ledger/{payments.GetValueOrDefault(role, entryId)}/reversal", new { reason = "Test" })),
            new("POST /accounts/{id}/interactions", "agent", _ => Json(HttpMethod.Post, $"/api/v1/accounts/{accountId}/interactions", new { channel = "note", notes = "n" })),
            new("GET /accounts/{id}/interactions", "read", _ => new(HttpMethod.Get, $"/api/v1/accounts/{accountId}/interactions")),
            new("PATCH /accounts/{id}", "agent", _ => Json(HttpMethod.Patch, $"/api/v1/accounts/{accountId}", new { limitationDate = "2031-01-15" })),
            new("POST /accounts/{id}/disputes", "agent", role => Json(HttpMethod.Post, $"/api/v1/accounts/{accountId}/disputes", new { receivedAt = "2026-03-02T12:00:00Z", written = false, amount = "1.00" }, $"dispute-{role}")),
            new("GET /accounts/{id}/disputes", "read", _ => new(HttpMethod.Get, $"/api/v1/accounts/{accountId}/disputes")),
            new("GET /accounts/{id}/disputes/{disputeId}", "read", _ => new(HttpMethod.Get, $"/api/v1/accounts/{accountId}/disputes/{disputes[Roles.Admin]}")),
            new("POST /accounts/{id}/disputes/{disputeId}/verification", "agent", role => Json(HttpMethod.Post, $"/api/v1/accounts/{accountId}/disputes/{disputes[role]}/verification", new { sentAt = "2026-03-02T13:00:00Z" })),
        ];

        var mismatches = new List<string>();
        foreach (var endpoint in endpoints)
        {
            var anonymous = await app.CreateClient().SendAsync(endpoint.Request("anonymous"), Cancel);
            if (anonymous.StatusCode != HttpStatusCode.Unauthorized)
            {
                mismatches.Add($"{endpoint.Name} without a key: {(int)anonymous.StatusCode}, expected 401");
            }

            foreach (var role in Roles.All)
            {
                var response = await clients[role].SendAsync(endpoint.Request(role), Cancel);
                var allowed = Allowed(endpoint.Needs, role);
                var ok = allowed ? response.IsSuccessStatusCode : response.StatusCode == HttpStatusCode.Forbidden;
                if (!ok)
                {
                    mismatches.Add($"{endpoint.Name} as {role}: {(int)response.StatusCode}, expected {(allowed ? "2xx" : "403")}");
                }
            }
        }

        Assert.Empty(mismatches);
    }
}
