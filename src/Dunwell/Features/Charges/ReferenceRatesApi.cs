using System.Security.Claims;
using Dunwell.Data;
using Dunwell.Domain.Amounts;
using Dunwell.Domain.Fees;
using Dunwell.Web;
using Dunwell.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Dunwell.Features.Charges;

/// <summary>
/// The dated central-bank rates statutory interest is computed from, maintained by an admin:
/// GET /api/v1/reference-rates/{series} and POST /api/v1/reference-rates. Series: GB-BANK-RATE, ECB-MRO.
/// </summary>
public static class ReferenceRatesApi
{
    public const string BankOfEngland = "GB-BANK-RATE";
    public const string Ecb = "ECB-MRO";

    public static IReadOnlyList<string> Series { get; } = [BankOfEngland, Ecb];

    /// <summary>The rate is a percentage as a decimal string: "3.75".</summary>
    public sealed record Request(string? Series, DateOnly? EffectiveFrom, string? Rate);

    public sealed record Rate(string Series, DateOnly EffectiveFrom, string Percent, string RecordedBy);

    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/reference-rates/{series}", ListAsync)
            .WithName("ListReferenceRates").WithSummary("A reference rate series, oldest first")
            .WithTags("Charges").RequireAuthorization(Policies.Read);
        api.MapPost("/reference-rates", AddAsync)
            .WithName("AddReferenceRate").WithSummary("Record a reference rate from a date on")
            .WithTags("Charges").RequireAuthorization(Policies.Admin);
    }

    public static async Task<ReferenceRates> LoadAsync(DunwellDb db, string series, CancellationToken cancellationToken) =>
        new(await db.ReferenceRates.AsNoTracking().Where(r => r.Series == series)
            .Select(r => new RatePoint(r.EffectiveFrom, r.BasisPoints)).ToListAsync(cancellationToken));

    internal static async Task<Ok<IReadOnlyList<Rate>>> ListAsync(string series, DunwellDb db, CancellationToken cancellationToken) =>
        TypedResults.Ok<IReadOnlyList<Rate>>(await db.ReferenceRates.AsNoTracking().Where(r => r.Series == series).OrderBy(r => r.EffectiveFrom)
            .Select(r => new Rate(r.Series, r.EffectiveFrom.ToDateOnly(), MoneyText.Format(r.BasisPoints, 2), r.RecordedBy))
            .ToListAsync(cancellationToken));

    internal static async Task<Results<Created<Rate>, ValidationProblem, ProblemHttpResult>> AddAsync(
        [FromBody] Request request, DunwellDb db, TimeProvider clock, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.Series is null || !Series.Contains(request.Series))
        {
            errors["series"] = [$"Use one of: {string.Join(", ", Series)}."];
        }

        if (request.EffectiveFrom is null)
        {
            errors["effectiveFrom"] = ["Say from which date the rate applies."];
        }

        if (!MoneyText.TryParse(request.Rate, 2, out var basisPoints, out var problem) || basisPoints is < -1_000 or > 10_000)
        {
            errors["rate"] = [problem is null ? "A rate is between -10 and 100 percent." : $"Rate {problem}."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var from = LocalDate.FromDateOnly(request.EffectiveFrom!.Value);
        if (await db.ReferenceRates.AnyAsync(r => r.Series == request.Series && r.EffectiveFrom == from, cancellationToken))
        {
            return ApiProblems.Conflict($"{request.Series} already has a rate from {request.EffectiveFrom:yyyy-MM-dd}; rates are never rewritten.", "effectiveFrom");
        }

        var now = clock.Now();
        var entry = new ReferenceRateEntry { Series = request.Series!, EffectiveFrom = from, BasisPoints = (int)basisPoints, RecordedBy = Actor.Of(user), RecordedAt = now };
        db.ReferenceRates.Add(entry);
        AuditLog.Add(db, user, "reference-rate.create", $"rate:{entry.Series}", now, $"{request.Rate}% from {request.EffectiveFrom:yyyy-MM-dd}");
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/v1/reference-rates/{entry.Series}",
            new Rate(entry.Series, request.EffectiveFrom.Value, MoneyText.Format(entry.BasisPoints, 2), entry.RecordedBy));
    }
}
