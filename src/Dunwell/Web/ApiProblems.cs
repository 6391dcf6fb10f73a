using System.Text.Json;
using System.Text.RegularExpressions;
using Dunwell.Data;
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

    /// <summary>
    /// True when a save failed on a unique index or primary key (both providers). On SQLite an append-only table's insert
    /// trigger refuses a taken key before the index would (SQLITE_CONSTRAINT_TRIGGER, see <see cref="AppendOnlyTriggers"/>).
    /// </summary>
    public static bool IsUniqueViolation(DbUpdateException exception) => exception.InnerException switch
    {
        PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } => true,
        SqliteException { SqliteErrorCode: 19, SqliteExtendedErrorCode: 2067 or 1555 } => true,
        SqliteException { SqliteErrorCode: 19, SqliteExtendedErrorCode: 1811 } trigger
            when trigger.Message.Contains(AppendOnlyTriggers.KeyTaken, StringComparison.Ordinal) => true,
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

    /// <summary>
    /// The field a reading error is about. An unknown or repeated field is named itself, whether the reader's path stops
    /// at the object that holds it or at the field.
    /// </summary>
    public static string FieldOf(JsonException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var field = FieldOf(exception.Path);
        var member = UnknownMember().Match(exception.Message);
        if (!member.Success)
        {
            member = DuplicateMember().Match(exception.Message);
        }

        var name = member.Success ? member.Groups["name"].Value : null;
        if (name is not null && !field.EndsWith(name, StringComparison.Ordinal))
        {
            return field == "body" ? name : $"{field}.{name}";
        }

        return field;
    }

    /// <summary>
    /// A plain sentence for a value System.Text.Json could not read, from the type found by walking the JSON path
    /// through <paramref name="bodyType"/> (the reader's own message names the record, not the field).
    /// </summary>
    public static string MessageFor(JsonException exception, Type? bodyType)
    {
        var target = bodyType is null ? null : TypeAt(bodyType, exception.Path);
        if (target is not null && (Nullable.GetUnderlyingType(target) ?? target) is var type)
        {
            if (type.IsEnum)
            {
                var names = Enum.GetNames(type).Select(n => JsonNamingPolicy.CamelCase.ConvertName(n));
                return $"Not a known value. Use one of: {string.Join(", ", names)}.";
            }

            var known = type switch
            {
                _ when type == typeof(DateOnly) => "Not a date; use yyyy-MM-dd.",
                _ when type == typeof(DateTimeOffset) => "Not an instant; use ISO-8601 with an offset, like 2026-03-02T09:30:00Z.",
                _ when type == typeof(long) || type == typeof(int) => "Not a whole number.",
                _ when type == typeof(bool) => "Not true or false.",
                _ when type == typeof(string) => "Send this as a string (amounts are decimal strings, like \"25.00\").",
                _ when typeof(System.Collections.IEnumerable).IsAssignableFrom(type) => "Send a list ([ … ]) here.",
                _ when type.IsClass => "Send an object ({ … }) here.",
                _ => null,
            };
            if (known is not null && exception.Message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal))
            {
                return known;
            }
        }

        // Unknown and repeated fields are refused (JsonInput): say so plainly, not with the record type's name.
        if (UnknownMember().Match(exception.Message) is { Success: true })
        {
            return "Unknown field: this request has no such field (see the OpenAPI document); leave it out or check its spelling.";
        }

        if (DuplicateMember().Match(exception.Message) is { Success: true })
        {
            return "This field is given more than once; give it once.";
        }

        // A part of the body left out, or sent as null where it is required: name it, not the record type.
        if (MissingMembers().Match(exception.Message) is { Success: true } missing)
        {
            return $"Missing: {missing.Groups["names"].Value.Trim().TrimEnd('.')}.";
        }

        if (NullMember().Match(exception.Message) is { Success: true } nulled)
        {
            return $"'{nulled.Groups["name"].Value}' cannot be null.";
        }

        // Syntax errors: keep the reader's own words but drop the position details.
        var cut = exception.Message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? exception.Message[..cut] : exception.Message;
    }

    /// <summary>The declared type at a JSON path ("$.contacts[0].kind") inside <paramref name="root"/>, or null when it cannot be followed.</summary>
    internal static Type? TypeAt(Type root, string? jsonPath)
    {
        if (string.IsNullOrEmpty(jsonPath))
        {
            return null;
        }

        var current = root;
        foreach (Match segment in PathSegment().Matches(jsonPath))
        {
            current = Nullable.GetUnderlyingType(current) ?? current;
            if (segment.Groups["index"].Success)
            {
                current = current.IsArray
                    ? current.GetElementType()
                    : current.GetInterfaces().Append(current)
                        .FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0];
            }
            else
            {
                var name = segment.Groups["name"].Success ? segment.Groups["name"].Value : segment.Groups["quoted"].Value;
                current = current.GetProperty(name, System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.IgnoreCase)?.PropertyType;
            }

            if (current is null)
            {
                return null;
            }
        }

        return current;
    }

    [GeneratedRegex(@"\.(?<name>[A-Za-z_][A-Za-z0-9_]*)|\[(?<index>\d+)\]|\['(?<quoted>[^']*)'\]")]
    private static partial Regex PathSegment();

    [GeneratedRegex("missing required properties including: (?<names>.+)$", RegexOptions.CultureInvariant)]
    private static partial Regex MissingMembers();

    [GeneratedRegex("(?:constructor parameter|property or field) '(?<name>[^']+)' on type '[^']*' doesn't allow (?:setting )?null", RegexOptions.CultureInvariant)]
    private static partial Regex NullMember();

    [GeneratedRegex("^The JSON property '(?<name>.*)' could not be mapped to any .NET member", RegexOptions.CultureInvariant)]
    private static partial Regex UnknownMember();

    [GeneratedRegex("^Duplicate property '(?<name>.*)' encountered during deserialization", RegexOptions.CultureInvariant)]
    private static partial Regex DuplicateMember();

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
            // The exception handler clears the endpoint; its feature keeps the one that failed.
            var endpoint = httpContext.Features.Get<IExceptionHandlerFeature>()?.Endpoint ?? httpContext.GetEndpoint();
            var bodyType = endpoint?.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IAcceptsMetadata>()?.RequestType;
            errors[ApiProblems.FieldOf(json)] = [ApiProblems.MessageFor(json, bodyType)];
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
        if (PageErrors.WantsPage(httpContext))
        {
            // A page's form that could not be read: the error page, naming the fields (values only for a post, never from the address).
            var reasons = HttpMethods.IsPost(httpContext.Request.Method)
                ? errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}").ToList()
                : [.. errors.Keys.Select(k => $"{k} is not valid.")];
            await PageErrors.Page(bad.StatusCode, reasons).ExecuteAsync(httpContext);
            return true;
        }

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
