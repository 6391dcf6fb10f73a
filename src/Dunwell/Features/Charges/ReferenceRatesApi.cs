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
using NodaTime.Text;

namespace Dunwell.Features.Charges;

/// <summary>
/// The dated central-bank rates statutory interest is computed from, maintained by an admin:
/// GET /api/v1/reference-rates/{series} and POST /api/v1/reference-rates. Series: GB-BANK-RATE, ECB-MRO.
/// </summary>
/// <remarks>
/// One rate per series and date. A rate recorded wrongly is corrected by recording the right one for the same date with
/// a reason: the correction is in force from then on (the next charge posting recalculates and posts the difference),
/// and the audit trail keeps what was there before, who recorded it and who corrected it, and why. A rate recorded for
/// the wrong date is withdrawn (<see cref="ReferenceRateWithdrawals"/>). A negative rate, or one from more than a month
/// ahead, is recorded only when the request confirms it: both are far more often a slip than a decision.
/// </remarks>
public static class ReferenceRatesApi
{
    public const string BankOfEngland = "GB-BANK-RATE";
    public const string Ecb = "ECB-MRO";

    public static IReadOnlyList<string> Series { get; } = [BankOfEngland, Ecb];

    /// <summary>
    /// The rate is a percentage as a decimal string: "3.75". <paramref name="Reason"/> says why a rate already recorded
    /// for the date is being corrected; it is required to correct one and refused when there is nothing to correct.
    /// <paramref name="Confirm"/> true records a negative rate or one from more than a month ahead, which are otherwise
    /// answered 422 with the reason to check.
    /// </summary>
    public sealed record Request(string? Series, DateOnly? EffectiveFrom, string? Rate, string? Reason = null, bool? Confirm = null);

    /// <summary>One correction of a rate, from the audit trail: when, by whom, and what it replaced and why.</summary>
    public sealed record Correction(DateTimeOffset At, string By, string Detail);

    /// <summary>That a rate was taken out of force because it was recorded for the wrong date: when, by whom and why.</summary>
    public sealed record Withdrawal(DateTimeOffset At, string By, string Reason);

    /// <summary>A rate as recorded; <paramref name="Withdrawn"/> is set once it no longer counts in statutory interest.</summary>
    public sealed record Rate(
        string Series, DateOnly EffectiveFrom, string Percent, string RecordedBy, DateTimeOffset RecordedAt, IReadOnlyList<Correction> Corrections,
        Withdrawal? Withdrawn = null);

    /// <summary>How far ahead of today a rate may start without the request confirming it.</summary>
    public static readonly Period UnconfirmedHorizon = Period.FromMonths(1);

    public const int MaxReasonLength = 500;

    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/reference-rates/{series}", ListAsync)
            .WithName("ListReferenceRates").WithSummary("A reference rate series, oldest first, with any corrections")
            .WithTags("Charges").RequireAuthorization(Policies.Read);
        api.MapPost("/reference-rates", AddAsync)
            .WithName("AddReferenceRate").WithSummary("Record a reference rate from a date on, or correct the one recorded for that date (with a reason)")
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .WithTags("Charges").RequireAuthorization(Policies.Admin);
        ReferenceRateWithdrawals.Map(api);
    }

    /// <summary>The rates statutory interest counts: a series less its withdrawn rates.</summary>
    public static async Task<ReferenceRates> LoadAsync(DunwellDb db, string series, CancellationToken cancellationToken) =>
        new(await db.ReferenceRates.AsNoTracking().Where(r => r.Series == series && !db.ReferenceRateWithdrawals.Any(w => w.RateId == r.Id))
            .Select(r => new RatePoint(r.EffectiveFrom, r.BasisPoints)).ToListAsync(cancellationToken));

    /// <summary>The audit subject of one rate: every recording and correction of it is filed under this.</summary>
    public static string Subject(string series, LocalDate effectiveFrom) => $"rate:{series}:{LocalDatePattern.Iso.Format(effectiveFrom)}";

    /// <summary>A series oldest first, each rate with its corrections (oldest first); the API and the admin page list through here.</summary>
    public static async Task<IReadOnlyList<Rate>> RatesAsync(DunwellDb db, string series, CancellationToken cancellationToken)
    {
        var rates = await db.ReferenceRates.AsNoTracking().Where(r => r.Series == series).OrderBy(r => r.EffectiveFrom)
            .Select(r => new { r.Id, r.EffectiveFrom, r.BasisPoints, r.RecordedBy, r.RecordedAt })
            .ToListAsync(cancellationToken);
        var ids = rates.Select(r => r.Id).ToList();
        var withdrawals = await db.ReferenceRateWithdrawals.AsNoTracking().Where(w => ids.Contains(w.RateId))
            .ToDictionaryAsync(w => w.RateId, w => new Withdrawal(w.WithdrawnAt.ToDateTimeOffset(), w.WithdrawnBy, w.Reason), cancellationToken);
        var subjects = rates.Select(r => Subject(series, r.EffectiveFrom)).ToList();
        var corrections = (await db.AuditEvents.AsNoTracking()
                .Where(a => subjects.Contains(a.Subject) && a.Action == AuditLog.Actions.ReferenceRateCorrect)
                .OrderBy(a => a.At).ThenBy(a => a.Id)
                .Select(a => new { a.Subject, a.At, a.Actor, a.Detail })
                .ToListAsync(cancellationToken))
            .ToLookup(a => a.Subject, a => new Correction(a.At.ToDateTimeOffset(), a.Actor, a.Detail ?? ""), StringComparer.Ordinal);
        return [.. rates.Select(r => new Rate(series, r.EffectiveFrom.ToDateOnly(), MoneyText.Format(r.BasisPoints, 2), r.RecordedBy, r.RecordedAt.ToDateTimeOffset(),
            [.. corrections[Subject(series, r.EffectiveFrom)]], withdrawals.GetValueOrDefault(r.Id)))];
    }

    internal static async Task<Ok<IReadOnlyList<Rate>>> ListAsync(string series, DunwellDb db, CancellationToken cancellationToken) =>
        TypedResults.Ok(await RatesAsync(db, series, cancellationToken));

    internal static Task<Results<Created<Rate>, Ok<Rate>, ValidationProblem, ProblemHttpResult>> AddAsync(
        [FromBody] Request request, DunwellDb db, TimeProvider clock, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        RecordAsync(request, db, clock, user, cancellationToken);

    /// <summary>
    /// Validates and records a rate (201), or corrects the one already recorded for the date when a reason is given
    /// (200). The API and the admin page both record through here, so the same checks apply to both. An unusual rate
    /// not confirmed is a 422 naming the field and saying what to check (<see cref="NeedsConfirmation"/>).
    /// </summary>
    public static async Task<Results<Created<Rate>, Ok<Rate>, ValidationProblem, ProblemHttpResult>> RecordAsync(
        Request request, DunwellDb db, TimeProvider clock, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.Series is null || !Series.Contains(request.Series))
        {
            errors["series"] = [$"Use one of: {string.Join(", ", Series)}."];
        }

        if (request.EffectiveFrom is not { } effective)
        {
            errors["effectiveFrom"] = ["Say from which date the rate applies."];
        }
        else if (Domain.Inputs.Plausible.DateProblem(LocalDate.FromDateOnly(effective)) is { } outside)
        {
            errors["effectiveFrom"] = [$"The date {outside}."]; // the page posts here too, not only the API's checked JSON
        }

        if (!MoneyText.TryParse(request.Rate, 2, out var basisPoints, out var problem) || basisPoints is < -1_000 or > 10_000)
        {
            errors["rate"] = [problem is null ? "A rate is between -10 and 100 percent." : $"Rate {problem}."];
        }

        var reason = string.IsNullOrWhiteSpace(request.Reason) ? null : request.Reason.Trim();
        if (reason is { Length: > MaxReasonLength })
        {
            errors["reason"] = [$"Keep the reason to {MaxReasonLength} characters."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var series = request.Series!;
        var from = LocalDate.FromDateOnly(request.EffectiveFrom!.Value);
        var percent = MoneyText.Format(basisPoints, 2);
        var now = clock.Now();
        if (request.Confirm != true && Unusual(basisPoints, percent, from, now.InUtc().Date) is { } unusual)
        {
            return unusual;
        }

        var existing = await db.ReferenceRates.AsNoTracking().SingleOrDefaultAsync(r => r.Series == series && r.EffectiveFrom == from, cancellationToken);
        var actor = Actor.Of(user);
        if (existing is not null && await db.ReferenceRateWithdrawals.AnyAsync(w => w.RateId == existing.Id, cancellationToken))
        {
            return ApiProblems.Conflict(
                $"The {series} rate from {request.EffectiveFrom:yyyy-MM-dd} was withdrawn; a withdrawn date is not recorded again. Record the rate for the date it took effect.",
                "effectiveFrom");
        }

        if (existing is null)
        {
            if (reason is not null)
            {
                return ApiProblems.Invalid("reason",
                    $"Nothing is recorded for {series} from {request.EffectiveFrom:yyyy-MM-dd} to correct. Check the date, or leave the reason out to record a new rate.");
            }

            var entry = new ReferenceRateEntry { Series = series, EffectiveFrom = from, BasisPoints = (int)basisPoints, RecordedBy = actor, RecordedAt = now };
            db.ReferenceRates.Add(entry);
            AuditLog.Add(db, actor, AuditLog.Actions.ReferenceRateCreate, Subject(series, from), now, $"{percent}% from {request.EffectiveFrom:yyyy-MM-dd}");
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException e) when (ApiProblems.IsUniqueViolation(e))
            {
                // Another admin recorded the same date a moment earlier.
                return AlreadyRecorded(series, request.EffectiveFrom.Value);
            }

            return TypedResults.Created($"/api/v1/reference-rates/{series}", new Rate(series, request.EffectiveFrom.Value, percent, actor, now.ToDateTimeOffset(), []));
        }

        var was = MoneyText.Format(existing.BasisPoints, 2);
        if (reason is null)
        {
            return AlreadyRecorded(series, request.EffectiveFrom.Value, $" ({was}%, recorded by {existing.RecordedBy})");
        }

        if (existing.BasisPoints == basisPoints)
        {
            return ApiProblems.Invalid("rate", $"{series} from {request.EffectiveFrom:yyyy-MM-dd} is already {was}%; there is nothing to correct.");
        }

        // The row holds the rate in force; what it replaces, who recorded that and who corrected it stay in the
        // append-only audit trail, under the rate's own subject, and are listed with the rate.
        var detail = $"{was}% from {request.EffectiveFrom:yyyy-MM-dd}, recorded by {existing.RecordedBy} at {InstantPattern.General.Format(existing.RecordedAt)}, "
            + $"corrected to {percent}%. Reason: {reason}";
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            // Only if it is still the recording read above: two corrections at once cannot both claim to replace it.
            var corrected = await db.ReferenceRates
                .Where(r => r.Id == existing.Id && r.BasisPoints == existing.BasisPoints && r.RecordedAt == existing.RecordedAt)
                .ExecuteUpdateAsync(r => r.SetProperty(e => e.BasisPoints, (int)basisPoints).SetProperty(e => e.RecordedBy, actor).SetProperty(e => e.RecordedAt, now), cancellationToken);
            if (corrected == 0)
            {
                return ApiProblems.Conflict($"{series} from {request.EffectiveFrom:yyyy-MM-dd} was changed a moment ago; look at it again before correcting it.", "effectiveFrom");
            }

            AuditLog.Add(db, actor, AuditLog.Actions.ReferenceRateCorrect, Subject(series, from), now, detail);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        var rate = (await RatesAsync(db, series, cancellationToken)).Single(r => r.EffectiveFrom == request.EffectiveFrom.Value);
        return TypedResults.Ok(rate);
    }

    /// <summary>The title of the 422 that asks for <c>"confirm": true</c>; the page shows a confirmation box when it sees it.</summary>
    public const string NeedsConfirmation = "Confirmation needed";

    /// <summary>A negative rate or a start more than <see cref="UnconfirmedHorizon"/> after today: a 422 saying why, or null.</summary>
    private static ProblemHttpResult? Unusual(long basisPoints, string percent, LocalDate from, LocalDate today)
    {
        var (field, why) = basisPoints < 0
            ? ("rate", $"A negative rate ({percent}%) is rare; check it against the publisher.")
            : from > today.Plus(UnconfirmedHorizon)
                ? ("effectiveFrom", $"{LocalDatePattern.Iso.Format(from)} is more than a month after today ({LocalDatePattern.Iso.Format(today)}); rates are published shortly before they apply, so check the date.")
                : (null, null);
        return field is null
            ? null
            : TypedResults.Problem(
                statusCode: StatusCodes.Status422UnprocessableEntity,
                title: NeedsConfirmation,
                detail: $"{why} Nothing was recorded. To record it as it is, send it again with \"confirm\": true.",
                extensions: new Dictionary<string, object?> { ["field"] = field, ["confirm"] = "confirm" });
    }

    private static ProblemHttpResult AlreadyRecorded(string series, DateOnly from, string what = "") =>
        ApiProblems.Conflict(
            $"{series} already has a rate from {from:yyyy-MM-dd}{what}. To correct it, record the right rate for the same date with a reason.",
            "effectiveFrom");
}
