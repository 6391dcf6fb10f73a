using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dunwell.Web;

/// <summary>
/// Errors as a person sees them: a request for a page (not the API, not an htmx fragment) that ends in an error status
/// with no body, or in an exception, gets the app's HTML error page in its layout; the API and htmx keep RFC 9457
/// problem details. A page never shows raw JSON.
/// </summary>
public static class PageErrors
{
    /// <summary>Whether this request is answered as a page rather than as the API or a fragment.</summary>
    public static bool WantsPage(HttpContext http) =>
        !http.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)
        && !http.Request.Path.StartsWithSegments("/openapi", StringComparison.OrdinalIgnoreCase)
        && !http.Request.Headers.ContainsKey("HX-Request");

    /// <summary>For UseStatusCodePages: the error page for pages, problem details for everything else.</summary>
    public static async Task WriteStatusAsync(StatusCodeContext context)
    {
        var http = context.HttpContext;
        if (WantsPage(http))
        {
            // A page component that set the status has left its own headers (Blazor's); the error page starts clean.
            var status = http.Response.StatusCode;
            http.Response.Clear();
            await RenderAsync(http, Page(status, []));
            return;
        }

        var problems = http.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = { Status = http.Response.StatusCode } });
    }

    /// <summary>
    /// Renders <paramref name="page"/> with services of its own: a page component that already ran in this request (and
    /// set the error status) has used up the request's renderer and navigation manager.
    /// </summary>
    public static async Task RenderAsync(HttpContext http, IResult page)
    {
        var requestServices = http.RequestServices;
        await using var scope = requestServices.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope();
        http.RequestServices = scope.ServiceProvider;
        try
        {
            await page.ExecuteAsync(http);
        }
        finally
        {
            http.RequestServices = requestServices;
        }
    }

    /// <summary>The error page for <paramref name="status"/>, with what was wrong when the app can say it.</summary>
    public static RazorComponentResult Page(int status, IReadOnlyList<string> reasons) =>
        new RazorComponentResult<App>(new
        {
            Page = typeof(ErrorPage),
            PageParameters = new Dictionary<string, object> { ["Status"] = status, ["Reasons"] = reasons },
        })
        {
            StatusCode = status,
        };
}

/// <summary>Any other exception on a page: the error page (500) instead of problem JSON. Registered after the API's handlers.</summary>
internal sealed class PageExceptions(ILogger<PageExceptions> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (!PageErrors.WantsPage(httpContext) || httpContext.Response.HasStarted)
        {
            return false;
        }

        logger.LogError(exception, "A page request failed.");
        httpContext.Response.Clear();
        await PageErrors.RenderAsync(httpContext, PageErrors.Page(StatusCodes.Status500InternalServerError, []));
        return true;
    }
}
