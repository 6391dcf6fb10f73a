using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Dunwell.Web;

/// <summary>
/// RFC 9457 problem details for the API: the helpers endpoints return, and the translation of requests the framework
/// could not even bind (malformed JSON, an unknown enum value, a query value of the wrong type) into a problem that
/// names the field, instead of a bare 400.
/// </summary>
public static partial class ApiProblems
{
    public static ProblemHttpResult NotFound(string what, long id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"There is no {what} {id}.");

    public static ProblemHttpResult Conflict(string detail, string? field = null) =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status409Conflict,
            title: "Conflict",
            detail: detail,
            extensions: field is null ? null : new Dictionary<string, object?> { ["field"] = field });

    public static ProblemHttpResult Forbidden(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: detail);

    public static ValidationProblem Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] });

    /// <summary>True when a save failed on a unique index or primary key (both providers).</summary>
    public static bool IsUniqueViolation(DbUpdateException exception) => exception.InnerException switch
    {
        PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } => true,
        SqliteException { SqliteErrorCode: 19, SqliteExtendedErrorCode: 2067 or 1555 } => true,
        _ => false,
    };

    /// <summary>
    /// A JSON path as System.Text.Json reports it ("$.contacts[0].kind", "$['odd name']") turned into the field name
    /// the problem's "errors" uses ("contacts[0].kind"); the whole body is "body".
    /// </summary>
    public static string FieldOf(string? jsonPath)
    {
        if (string.IsNullOrEmpty(jsonPath) || jsonPath == "$")
        {
            return "body";
        }

        var field = jsonPath.StartsWith("$.", StringComparison.Ordinal) ? jsonPath[2..] : jsonPath.TrimStart('$');
        return QuotedMember().Replace(field, m => "." + m.Groups["name"].Value).TrimStart('.');
    }

    /// <summary>A plain sentence for a value System.Text.Json could not read, without .NET type names.</summary>
    public static string MessageFor(JsonException exception)
    {
        var message = exception.Message;
        const string marker = "could not be converted to ";
        var start = message.IndexOf(marker, StringComparison.Ordinal);
        var end = start < 0 ? -1 : message.IndexOf(". Path:", start, StringComparison.Ordinal);
        if (start >= 0)
        {
            var typeName = end > start ? message[(start + marker.Length)..end] : message[(start + marker.Length)..];
            var enumType = typeof(Domain.Accounts.AccountKind).Assembly.GetTypes()
                .FirstOrDefault(t => t.IsEnum && typeName.Contains(t.FullName!, StringComparison.Ordinal));
            if (enumType is not null)
            {
                var names = Enum.GetNames(enumType).Select(n => JsonNamingPolicy.CamelCase.ConvertName(n));
                return $"Not a known value. Use one of: {string.Join(", ", names)}.";
            }

            return typeName switch
            {
                _ when typeName.Contains("DateOnly", StringComparison.Ordinal) => "Not a date; use yyyy-MM-dd.",
                _ when typeName.Contains("DateTimeOffset", StringComparison.Ordinal) => "Not an instant; use ISO-8601 with an offset, like 2026-03-02T09:30:00Z.",
                _ when typeName.Contains("Int64", StringComparison.Ordinal) || typeName.Contains("Int32", StringComparison.Ordinal) => "Not a whole number.",
                _ when typeName.Contains("Boolean", StringComparison.Ordinal) => "Not true or false.",
                _ when typeName.Contains("String", StringComparison.Ordinal) => "Not a string; amounts and references are sent as strings.",
                _ => "This value has the wrong type.",
            };
        }

        // Syntax errors: keep the reader's own words but drop the trailing position details.
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }

    [GeneratedRegex(@"\['(?<name>[^']*)'\]")]
    private static partial Regex QuotedMember();

    [GeneratedRegex("""parameter "(?<type>[^"]+) (?<name>[^" ]+)" from "(?<value>[^"]*)""", RegexOptions.CultureInvariant)]
    internal static partial Regex FailedParameter();
}

/// <summary>
/// Turns a request the framework could not bind into a validation problem naming the field. Needs
/// <c>RouteHandlerOptions.ThrowOnBadRequest</c> on, so binding failures reach the exception handler at all.
/// </summary>
internal sealed class BadRequestProblems(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad)
        {
            return false;
        }

        var errors = new Dictionary<string, string[]>();
        if (bad.InnerException is JsonException json)
        {
            errors[ApiProblems.FieldOf(json.Path)] = [ApiProblems.MessageFor(json)];
        }
        else if (ApiProblems.FailedParameter().Match(bad.Message) is { Success: true } parameter)
        {
            errors[parameter.Groups["name"].Value] = [$"'{parameter.Groups["value"].Value}' is not a valid {FriendlyType(parameter.Groups["type"].Value)}."];
        }
        else if (bad.StatusCode == StatusCodes.Status400BadRequest)
        {
            errors["body"] = [bad.Message];
        }

        httpContext.Response.StatusCode = bad.StatusCode;
        var problem = errors.Count > 0
            ? new HttpValidationProblemDetails(errors) { Status = bad.StatusCode, Title = "One or more fields are not valid." }
            : new Microsoft.AspNetCore.Mvc.ProblemDetails { Status = bad.StatusCode, Title = bad.Message };
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception });
    }

    private static string FriendlyType(string type) => type.TrimEnd('?') switch
    {
        "int" or "long" => "whole number",
        "bool" => "true or false",
        "DateOnly" => "date (yyyy-MM-dd)",
        var other => other,
    };
}
