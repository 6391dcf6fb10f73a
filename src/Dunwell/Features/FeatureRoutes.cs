namespace Dunwell.Features;

/// <summary>One line per slice: the API routes on <c>/api/v1</c> and the page fragments and form posts on the app.</summary>
internal static class FeatureRoutes
{
    public static void Map(IEndpointRouteBuilder app, RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(api);
        Imports.ImportEndpoints.Map(api);
    }
}
