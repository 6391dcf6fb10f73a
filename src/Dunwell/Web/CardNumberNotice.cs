using System.Text.Json;
using System.Text.Json.Nodes;
using Dunwell.Data;
using Dunwell.Domain.Privacy;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Dunwell.Web;

/// <summary>
/// Tells the caller that a card number they sent was masked before it was stored, and why: API answers carry the
/// <see cref="HeaderName"/> header and a <c>cardNumbersMasked</c> member (fields and reason); a page form that redirects
/// lands on a page whose layout shows a notice (the <see cref="QueryName"/> query parameter carries the fields).
/// </summary>
public static class CardNumberNotice
{
    public const string HeaderName = "Dunwell-Card-Numbers-Masked";
    public const string QueryName = "cardNumbersMasked";
    public const string JsonName = "cardNumbersMasked";

    /// <summary>What the answer says: the fields (entity.field) and why.</summary>
    public sealed record Notice(IReadOnlyList<string> Fields, string Reason);

    /// <summary>Middleware: as the response starts, says so in a header, and on a page's redirect in the address it goes to.</summary>
    public static Task WatchAsync(HttpContext context, RequestDelegate next)
    {
        context.Response.OnStarting(() =>
        {
            if (Fields(context) is { Count: > 0 } fields)
            {
                context.Response.Headers[HeaderName] = string.Join(", ", fields);
                var location = context.Response.Headers.Location.ToString();
                if (context.Response.StatusCode is >= 300 and < 400 && IsPageOfThisSite(context.Request, location))
                {
                    context.Response.Headers.Location = WithQuery(location, $"{QueryName}={Uri.EscapeDataString(string.Join(",", fields))}");
                }
            }

            return Task.CompletedTask;
        });
        return next(context);
    }

    /// <summary>Endpoint filter step: a successful JSON answer gains a <c>cardNumbersMasked</c> member when something was masked.</summary>
    public static object? Attach(object? result, HttpContext http)
    {
        if (Fields(http) is not { Count: > 0 } fields)
        {
            return result;
        }

        var inner = result is INestedHttpResult nested ? nested.Result : result;
        if (inner is not IValueHttpResult { Value: { } value } || inner is not IStatusCodeHttpResult { StatusCode: var status and >= 200 and < 300 })
        {
            return result;
        }

        var json = http.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        if (JsonSerializer.SerializeToNode(value, value.GetType(), json) is not JsonObject body)
        {
            return result;
        }

        body[JsonName] = JsonSerializer.SerializeToNode(new Notice(fields, CardNumbers.Reason), json);
        if (inner.GetType().GetProperty("Location")?.GetValue(inner) is string { Length: > 0 } location)
        {
            http.Response.Headers.Location = location;
        }

        return Results.Json(body, json, statusCode: status);
    }

    /// <summary>
    /// The notice for a page: the fields named in the address, or null when nothing was masked. Only names of real
    /// free-text fields are shown; anything else a link carries is dropped, so the notice never repeats a stranger's text.
    /// </summary>
    public static Notice? FromQuery(HttpContext http) =>
        http.Request.Query[QueryName].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(CardNumberMasking.NoticeFields.Contains).Distinct(StringComparer.Ordinal).ToList() is { Count: > 0 } fields
            ? new Notice(fields, CardNumbers.Reason)
            : null;

    private static List<string>? Fields(HttpContext http) =>
        http.RequestServices.GetService<DunwellDb>()?.CardNumbersMasked is { Count: > 0 } masked
            ? [.. masked.Select(m => $"{char.ToLowerInvariant(m.Entity[0])}{m.Entity[1..]}.{m.Field}").Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)]
            : null;

    /// <summary>A page here (path or absolute address on this host, as Blazor's redirects give), not an API address or another site.</summary>
    private static bool IsPageOfThisSite(HttpRequest request, string location)
    {
        if (!Uri.TryCreate(location, UriKind.RelativeOrAbsolute, out var uri))
        {
            return false;
        }

        if (uri.IsAbsoluteUri)
        {
            return string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase)
                && !uri.AbsolutePath.StartsWith("/api/", StringComparison.Ordinal);
        }

        return location.StartsWith('/') && !location.StartsWith("//", StringComparison.Ordinal) && !location.StartsWith("/api/", StringComparison.Ordinal);
    }

    private static string WithQuery(string location, string parameter)
    {
        var hash = location.IndexOf('#', StringComparison.Ordinal);
        var (path, fragment) = hash < 0 ? (location, "") : (location[..hash], location[hash..]);
        return $"{path}{(path.Contains('?', StringComparison.Ordinal) ? '&' : '?')}{parameter}{fragment}";
    }
}
