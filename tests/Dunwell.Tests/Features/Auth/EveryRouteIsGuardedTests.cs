using Dunwell.Tests.Support;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace Dunwell.Tests.Features.Auth;

/// <summary>A route added without a policy would be open to anyone with any key or cookie: this catches it at once.</summary>
public sealed class EveryRouteIsGuardedTests
{
    private static readonly string[] Public = ["/signin", "/openapi/{documentName}.json"];

    private static readonly string[] KnownPolicies = ["read", "agent", "supervisor", "admin", "supervisor-or-auditor", "admin-or-auditor"];

    /// <summary>Routes for any signed-in person, whatever their role.</summary>
    private static readonly string[] SignedIn = ["/signout", "/denied"];

    [Fact]
    public async Task Every_api_route_and_page_names_a_policy_except_sign_in_and_the_openapi_document()
    {
        await using var database = await TestDatabase.CreateAsync("sqlite");
        await using var app = await TestApp.StartAsync(database, Instant.FromUtc(2026, 3, 2, 15, 0));

        var routes = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            // Static files (wwwroot, served as files, with no personal data) are not routes of ours.
            .Where(e => e.RoutePattern.RawText is { } path && path.StartsWith('/') && !path.StartsWith("/_", StringComparison.Ordinal)
                && !path.Contains('.', StringComparison.Ordinal)
                || e.RoutePattern.RawText == "/openapi/{documentName}.json")
            .ToList();
        var unguarded = routes
            .Where(e => !Public.Contains(e.RoutePattern.RawText))
            .Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is not null
                || !e.Metadata.GetOrderedMetadata<IAuthorizeData>().Any(a => a.Policy is { } p && KnownPolicies.Contains(p) || a.Roles is not null
                    || SignedIn.Contains(e.RoutePattern.RawText)))
            .Select(e => $"{string.Join(",", e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? [])} {e.RoutePattern.RawText}")
            .ToList();

        Assert.True(routes.Count > 20, $"only {routes.Count} routes found");
        Assert.Empty(unguarded);
    }
}
