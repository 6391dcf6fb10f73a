using Dunwell.Tests.Support;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Dunwell.Tests.Features.Audit;

/// <summary>Every route of the running app, from its endpoint data source (not a hand-kept list), with its methods.</summary>
internal static class AppRoutes
{
    /// <summary>One method of one route; <see cref="Accepts"/> is the body type it declares (JSON, CSV, a form), if any.</summary>
    public sealed record Route(string Method, string Pattern, string? Accepts = null)
    {
        public bool IsApi => Pattern.StartsWith("/api/", StringComparison.Ordinal);

        public override string ToString() => $"{Method} {Pattern}";
    }

    public static IReadOnlyList<Route> All(TestApp app) =>
        [.. app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText is { } path && path.StartsWith('/') && !path.StartsWith("/_", StringComparison.Ordinal)
                && !path.Contains('.', StringComparison.Ordinal))
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET", "POST"]).Select(m => new Route(m, e.RoutePattern.RawText!,
                e.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IAcceptsMetadata>()?.ContentTypes is [var first, ..] ? first : null)))
            .Distinct()
            .OrderBy(r => r.Pattern, StringComparer.Ordinal).ThenBy(r => r.Method, StringComparer.Ordinal)];

    /// <summary>The route with each {parameter} replaced by the value <paramref name="value"/> gives for its name and the route.</summary>
    public static string Fill(string pattern, Func<string, string, string> value) =>
        System.Text.RegularExpressions.Regex.Replace(pattern, "\\{([A-Za-z]+)(:[^}]*)?\\}", m => value(m.Groups[1].Value, pattern));
}
