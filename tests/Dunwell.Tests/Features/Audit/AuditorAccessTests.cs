using System.Net;
using Dunwell.Domain.Accounts;
using Dunwell.Tests.Features.Pages;
using Dunwell.Tests.Support;
using NodaTime;

namespace Dunwell.Tests.Features.Audit;

/// <summary>
/// "Auditors read everything and change nothing", for every route the app has: every GET page and API route lets an
/// auditor in (it may still answer 404 for a record that does not exist), and every other method refuses them with 403.
/// </summary>
public sealed class AuditorAccessTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    // Open to anyone (sign-in, the API description) or to anyone signed in whatever their role (signing out).
    private static readonly string[] NotAboutRoles = ["/signin", "/signout", "/denied"];

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Auditors_get_every_page_and_read_route_and_are_refused_every_write(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Instant.FromUtc(2026, 3, 2, 15, 0));
        var api = await app.ClientAsAsync(Roles.Auditor);
        var pages = await PageSession.SignedInAsync(app, Roles.Auditor);

        var routes = AppRoutes.All(app).Where(r => !NotAboutRoles.Contains(r.Pattern)).ToList();
        var wrong = new List<string>();
        foreach (var route in routes)
        {
            var url = AppRoutes.Fill(route.Pattern, (name, _) => name switch
            {
                "reference" => "ACME",
                "series" => "ECB-MRO",
                _ => "1",
            });
            var request = new HttpRequestMessage(new HttpMethod(route.Method), url);
            if (route.Method != "GET")
            {
                // What each kind of route accepts, so routing lets the request reach authorization.
                var type = route.Accepts ?? (route.IsApi ? "application/json" : "application/x-www-form-urlencoded");
                request.Content = new StringContent(type.Contains("json", StringComparison.Ordinal) ? "{}" : "", System.Text.Encoding.UTF8, type);
            }

            var response = await (route.IsApi ? api : pages).SendAsync(request, Cancel);
            var status = (int)response.StatusCode;
            var deniedPage = response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location?.OriginalString is { } to
                && (to.Contains("/denied", StringComparison.Ordinal) || to.Contains("/signin", StringComparison.Ordinal));
            if (route.Method == "GET" && (status is 401 or 403 || deniedPage))
            {
                wrong.Add($"{route}: {status} {response.Headers.Location}, expected the auditor let in");
            }
            else if (route.Method != "GET" && response.StatusCode != HttpStatusCode.Forbidden)
            {
                wrong.Add($"{route}: {status}, expected 403");
            }
        }

        Assert.True(routes.Count(r => r.Method == "GET") > 20, $"only {routes.Count} routes found");
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }
}
