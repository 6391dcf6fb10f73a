using System.Security.Claims;
using Dunwell.Data;
using Dunwell.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dunwell.Features.Imports;

/// <summary>
/// POST /api/v1/imports/placements and /api/v1/imports/payments: the CSV file is the request body (text/csv).
/// 200 with the report when applied; 422 problem details listing every bad row when the file was rejected.
/// </summary>
public static class ImportEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        var imports = api.MapGroup("/imports").RequireAuthorization(Policies.Admin);
        imports.MapPost("/placements", (HttpRequest request, bool? skipInvalid, DunwellDb db, TimeProvider clock, ClaimsPrincipal user, CancellationToken ct) =>
                HandleAsync(request, skipInvalid, user, (stream, options) => ImportPlacements.RunAsync(db, clock, stream, options, ct)))
            .WithName("ImportPlacements").WithSummary("Load a placement file (CSV): creditors, debtors, accounts, opening balances")
            .Accepts<string>("text/csv").ProducesImportProblems();
        imports.MapPost("/payments", (HttpRequest request, bool? skipInvalid, DunwellDb db, TimeProvider clock, ClaimsPrincipal user, CancellationToken ct) =>
                HandleAsync(request, skipInvalid, user, (stream, options) => ImportPayments.RunAsync(db, clock, stream, options, ct)))
            .WithName("ImportPayments").WithSummary("Load a payment file (CSV); each reference is posted once")
            .Accepts<string>("text/csv").ProducesImportProblems();
    }

    /// <summary>A rejected file answers 422 listing its bad rows; a body that is not CSV, 415.</summary>
    private static RouteHandlerBuilder ProducesImportProblems(this RouteHandlerBuilder builder) => builder
        .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
        .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

    internal static async Task<Results<Ok<ImportReport>, ProblemHttpResult>> HandleAsync(
        HttpRequest request, bool? skipInvalid, ClaimsPrincipal user, Func<Stream, ImportOptions, Task<ImportReport>> import)
    {
        if (request.ContentType is not { } contentType
            || !(contentType.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase) || contentType.StartsWith("application/csv", StringComparison.OrdinalIgnoreCase)))
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status415UnsupportedMediaType,
                title: "Send the file as the request body with Content-Type: text/csv.");
        }

        var report = await import(request.Body, new ImportOptions("api", Actor.Of(user), skipInvalid ?? false, TotalBytes: request.ContentLength));
        if (report.CardNumbersMasked.Count > 0)
        {
            // The report lists each line and column; the header says it at a glance, as every other answer does.
            request.HttpContext.Response.Headers[Web.CardNumberNotice.HeaderName] =
                string.Join(", ", report.CardNumbersMasked.Select(m => m.Column).Distinct(StringComparer.Ordinal));
        }

        if (report.Applied)
        {
            return TypedResults.Ok(report);
        }

        return TypedResults.Problem(
            statusCode: StatusCodes.Status422UnprocessableEntity,
            title: "The file was rejected; nothing was applied.",
            detail: $"{report.Rejected} of {report.Rows} rows are bad (see errors). Fix them, or send ?skipInvalid=true to apply the good rows.",
            extensions: new Dictionary<string, object?>
            {
                ["errors"] = report.Errors,
                ["warnings"] = report.Warnings,
                ["report"] = report,
            });
    }
}
