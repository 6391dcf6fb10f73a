using Microsoft.AspNetCore.Http.HttpResults;

namespace Dunwell.Web;

/// <summary>
/// A form post that was refused: the page is shown again from the same request, as 422, with the reasons in red beside
/// the form that was sent (announced with role="alert") and what was typed still in its fields. Nothing about a refusal
/// travels in an address, so it can neither be forged nor mistaken for a success.
/// </summary>
public sealed record PageRefusal(string Form, IReadOnlyList<string> Reasons, bool Confirm)
{
    private static readonly object Key = new();

    /// <summary>The refusal for <paramref name="form"/> in this request, if that is the form that was refused.</summary>
    public static PageRefusal? For(HttpContext http, string form) =>
        http.Items.TryGetValue(Key, out var value) && value is PageRefusal refusal && refusal.Form == form ? refusal : null;

    /// <summary>What was typed into <paramref name="field"/> of <paramref name="form"/>, when that form is being shown again; otherwise null.</summary>
    public static string? Typed(HttpContext http, string form, string field) =>
        For(http, form) is not null && http.Request.HasFormContentType ? http.Request.Form[field].ToString() : null;

    /// <summary>Every value typed into a repeated field (ticked boxes), when that form is being shown again.</summary>
    public static IReadOnlyList<string> TypedAll(HttpContext http, string form, string field) =>
        For(http, form) is not null && http.Request.HasFormContentType ? [.. http.Request.Form[field].Where(v => v is not null).Select(v => v!)] : [];

    /// <summary>The account page again with <paramref name="reasons"/> beside <paramref name="form"/>.</summary>
    /// <remarks>With <paramref name="confirm"/>, nothing was wrong: the reasons are what the post would do, and the form asks to confirm it.</remarks>
    public static IResult OnAccount(HttpContext http, long accountId, string form, IEnumerable<string> reasons, bool confirm = false) =>
        Show(http, typeof(Features.Accounts.AccountGlancePage), new Dictionary<string, object> { ["Id"] = accountId }, form, reasons, confirm);

    /// <summary>Any page again, rendered inside the app's layout from this request, with <paramref name="reasons"/> beside <paramref name="form"/>.</summary>
    public static IResult Show(HttpContext http, Type page, IDictionary<string, object> parameters, string form, IEnumerable<string> reasons, bool confirm = false)
    {
        http.Items[Key] = new PageRefusal(form, [.. reasons], confirm);
        return new RazorComponentResult<App>(new { Page = page, PageParameters = parameters })
        {
            StatusCode = StatusCodes.Status422UnprocessableEntity,
        };
    }

    /// <summary>The messages of a validation or other problem result, for showing to a person.</summary>
    public static IReadOnlyList<string> ReasonsOf(IResult result) => result switch
    {
        ValidationProblem problem => [.. problem.ProblemDetails.Errors.SelectMany(e => e.Value)],
        ProblemHttpResult problem => [problem.ProblemDetails.Detail ?? problem.ProblemDetails.Title ?? "It was refused."],
        _ => [],
    };
}
