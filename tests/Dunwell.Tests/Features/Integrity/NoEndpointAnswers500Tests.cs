using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Dunwell.Domain.Accounts;
using Dunwell.Tests.Features.Pages;
using Dunwell.Tests.Features.Records;
using Dunwell.Tests.Support;
using FsCheck.Fluent;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace Dunwell.Tests.Features.Integrity;

/// <summary>
/// Issue 9: no input makes any route answer 500. Every route in the app's endpoint data source (not a hand-kept list) gets
/// requests generated from its own shape plus hostile values, as an admin acting for every creditor (an API key on the
/// API, a signed-in session with its antiforgery token on the pages). Each answer must be below 500, and an API answer
/// in the 4xx range must be a problem document. The seed is fixed and printed on failure; set DUNWELL_FUZZ_SEED to
/// replay another, DUNWELL_FUZZ_REQUESTS to send more per route.
/// </summary>
public sealed partial class NoEndpointAnswers500Tests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private const ulong DefaultSeed = 20_261_205;

    [Fact]
    public async Task Generated_bodies_query_strings_and_headers_never_make_a_route_answer_500()
    {
        var seed = ulong.TryParse(Environment.GetEnvironmentVariable("DUNWELL_FUZZ_SEED"), CultureInfo.InvariantCulture, out var given) ? given : DefaultSeed;
        var perRoute = int.TryParse(Environment.GetEnvironmentVariable("DUNWELL_FUZZ_REQUESTS"), CultureInfo.InvariantCulture, out var n) ? n : 64;

        await using var database = await TestDatabase.CreateAsync("sqlite");
        await using var app = await TestApp.StartAsync(database, Instant.FromUtc(2026, 3, 2, 15, 0));
        var agent = await app.ClientAsAsync(Roles.Agent);
        var (debtorId, accountId) = await RecordsSeed.AccountAsync(app, agent);
        await SeedRecordsAsync(agent, accountId);
        var api = await app.ClientAsAsync(Roles.Admin);
        var pages = await PageSession.SignedInAsync(app, Roles.Admin);
        var token = AntiforgeryField().Match(await pages.GetStringAsync($"/accounts/{accountId}", Cancel)).Groups[1].Value;
        string[] ids = [$"{accountId}", $"{debtorId}", "1", "2", "3", "ACME", "GB-BANK-RATE", "ECB-MRO", "1"];

        var routes = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText is { } path && path.StartsWith('/') && !path.StartsWith("/_", StringComparison.Ordinal)
                && !path.Contains('.', StringComparison.Ordinal) && path != "/signout")
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => (Endpoint: e, Method: m)))
            .OrderBy(r => r.Endpoint.RoutePattern.RawText, StringComparer.Ordinal).ThenBy(r => r.Method, StringComparer.Ordinal)
            .ToList();
        Assert.True(routes.Count > 40, $"only {routes.Count} routes found");

        var pageForms = await PageFormsAsync(pages, routes.Select(r => r.Endpoint.RoutePattern.RawText!), accountId);
        var failures = new List<string>();
        var byStatus = new Dictionary<int, int>();
        var perRouteStatus = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var sent = 0;
        foreach (var (endpoint, method) in routes)
        {
            var isApi = endpoint.RoutePattern.RawText!.StartsWith("/api", StringComparison.Ordinal);
            var routeSeed = seed ^ Fnv(method + " " + endpoint.RoutePattern.RawText);
            var requests = RequestShapes.For(endpoint, method, ids, [], isApi ? null : token, pageForms)
                .Sample(perRoute, new FsCheck.Rnd(routeSeed), 20);
            var failed = 0;
            foreach (var request in requests)
            {
                sent++;
                var (status, verdict, excerpt) = await SendAsync(isApi ? api : pages, request, isApi);
                byStatus[status / 100] = byStatus.GetValueOrDefault(status / 100) + 1;
                var key = $"{method} {endpoint.RoutePattern.RawText}";
                perRouteStatus[key] = perRouteStatus.GetValueOrDefault(key, "") + $" {status}" + (status == 400 && perRouteStatus.GetValueOrDefault(key, "").Length < 400 ? $"[{excerpt[..Math.Min(excerpt.Length, 200)]}]" : "");
                if (verdict is not null && failed++ < 2 && failures.Count < 40)
                {
                    failures.Add($"{verdict}\n    {request}");
                }
            }
        }

        var summary = $"Seed {seed}: {sent} requests over {routes.Count} routes; answers by class: {string.Join(", ", byStatus.OrderBy(p => p.Key).Select(p => $"{p.Key}xx {p.Value}"))}";
        TestContext.Current.TestOutputHelper?.WriteLine(summary);
        if (Environment.GetEnvironmentVariable("DUNWELL_FUZZ_SUMMARY") is { Length: > 0 } summaryFile)
        {
            await File.WriteAllTextAsync(summaryFile, summary + Environment.NewLine + string.Join(Environment.NewLine, perRouteStatus.Select(p => $"{p.Key}: {p.Value}")), Cancel);
        }

        // Nothing the fuzz sent left a row behind that spoils the account.
        var account = await api.GetAsync($"/api/v1/accounts/{accountId}", Cancel);
        Assert.True(failures.Count == 0 && account.StatusCode == HttpStatusCode.OK,
            $"Seed {seed} (DUNWELL_FUZZ_SEED={seed} to replay), {sent} requests over {routes.Count} routes; account read {(int)account.StatusCode}; failures:\n"
            + string.Join("\n", failures));
    }

    /// <summary>Null when the answer is acceptable, otherwise what was wrong with it.</summary>
    private static async Task<(int Status, string? Verdict, string Excerpt)> SendAsync(HttpClient client, FuzzRequest request, bool isApi)
    {
        using var message = new HttpRequestMessage(new HttpMethod(request.Method), request.Url);
        if (request.Body is not null)
        {
            message.Content = new ByteArrayContent(RequestShapes.Utf8(request.Body));
            message.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(request.ContentType!);
        }

        foreach (var (name, value) in request.Headers)
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }

        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(message, Cancel);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return (0, $"threw {e.GetType().Name}: {e.Message.Split('\n')[0]}", "");
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            var text = await response.Content.ReadAsStringAsync(Cancel);
            var excerpt = text.Length > 400 ? text[..400] : text;
            if (status >= 500)
            {
                return (status, $"{status}: {excerpt}", excerpt);
            }

            var acceptsJson = !request.Headers.Any(h => h.Name == "Accept" && !h.Value.Contains("json", StringComparison.Ordinal) && h.Value != "*/*");
            if (isApi && status >= 400 && acceptsJson && response.Content.Headers.ContentType?.MediaType != "application/problem+json")
            {
                return (status, $"{status} without a problem document ({response.Content.Headers.ContentType}): {excerpt}", excerpt);
            }

            return (status, isApi && status is >= 300 and < 400 ? $"{status}: the API redirected to {response.Headers.Location}" : null, excerpt);
        }
    }

    /// <summary>A payment, a plan, an interaction and a dispute, so the routes that read them have something to read.</summary>
    private static async Task SeedRecordsAsync(HttpClient agent, long accountId)
    {
        async Task PostAsync(string url, object body, string key)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body) };
            request.Headers.Add("Idempotency-Key", key);
            (await agent.SendAsync(request, Cancel)).EnsureSuccessStatusCode();
        }

        await PostAsync($"/api/v1/accounts/{accountId}/payments", new { amount = "10.00", currency = "USD", paidOn = "2026-03-01", method = "card" }, "seed-pay");
        await PostAsync($"/api/v1/accounts/{accountId}/interactions", new { channel = "note", occurredAt = "2026-03-02T14:00:00Z", notes = "seed" }, "seed-note");
        await PostAsync($"/api/v1/accounts/{accountId}/arrangements", new { kind = "promise", total = "100.00", firstPaymentOn = "2026-03-09" }, "seed-promise");
    }

    /// <summary>The form handlers and field names on the app's own pages (each GET page, with the seeded account's id).</summary>
    private static async Task<(IReadOnlyList<string> Handlers, IReadOnlyList<string> Fields)> PageFormsAsync(HttpClient pages, IEnumerable<string> routes, long accountId)
    {
        var handlers = new SortedSet<string>(StringComparer.Ordinal);
        var fields = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var route in routes.Where(r => !r.StartsWith("/api", StringComparison.Ordinal)).Distinct())
        {
            var url = RouteValue().Replace(route, m => m.Groups[1].Value.ToUpperInvariant() switch
            {
                "ID" => $"{accountId}",
                "REFERENCE" => "ACME",
                _ => "1",
            });
            var html = await (await pages.GetAsync(url, Cancel)).Content.ReadAsStringAsync(Cancel);
            handlers.UnionWith(HandlerField().Matches(html).Select(m => m.Groups[1].Value));
            fields.UnionWith(NameAttribute().Matches(html).Select(m => System.Net.WebUtility.HtmlDecode(m.Groups[1].Value))
                .Where(n => n is not ("__RequestVerificationToken" or "_handler")));
        }

        return ([.. handlers], [.. fields]);
    }

    [GeneratedRegex(@"\{([A-Za-z]+)(?::[a-z]+)?\}")]
    private static partial Regex RouteValue();

    [GeneratedRegex("name=\"_handler\" value=\"([^\"]+)\"")]
    private static partial Regex HandlerField();

    [GeneratedRegex("name=\"([^\"]+)\"")]
    private static partial Regex NameAttribute();

    /// <summary>A stable hash of the route, so each route has its own stream of requests whatever order routes are listed in.</summary>
    private static ulong Fnv(string text)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in text)
        {
            hash = unchecked((hash ^ c) * 1099511628211UL);
        }

        return hash;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
