namespace Dunwell.Web;

/// <summary>
/// What a page says after one of its forms was posted. A success redirects with a code and the id of the record it
/// made or changed (<c>?done=dispute&amp;id=7</c>); the page looks that record up and says in its own words what is on
/// file, so a link someone else wrote can only make it state facts that are true, and never words from the address
/// (STYLE §2.11). A refusal is not redirected: <see cref="PageRefusal"/> shows the page again with the reasons.
/// </summary>
public static class PageNotice
{
    /// <summary>A redirect to <paramref name="path"/> saying record <paramref name="id"/> was the subject of <paramref name="code"/>.</summary>
    public static IResult Redirect(string path, string code, long id, string? fragment = null, bool again = false) =>
        Results.Redirect(Url(path, code, id, fragment, again));

    /// <summary>The address of that redirect, for pages that navigate instead of returning a result.</summary>
    public static string Url(string path, string code, long id, string? fragment = null, bool again = false) =>
        $"{path}?done={Uri.EscapeDataString(code)}&id={id}{(again ? "&again=1" : "")}{(fragment is null ? "" : "#" + fragment)}";

    /// <summary>The code and record id in the address, when both are there; the page decides whether they describe anything.</summary>
    public static (string Code, long Id, bool Again)? Read(HttpContext http)
    {
        var query = http.Request.Query;
        return query["done"].ToString() is { Length: > 0 } code && long.TryParse(query["id"], System.Globalization.CultureInfo.InvariantCulture, out var id)
            ? (code, id, query["again"] == "1")
            : null;
    }
}
