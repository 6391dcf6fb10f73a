using System.Security.Claims;
using Dunwell.Data;
using Dunwell.Domain.Amounts;
using Dunwell.Web;
using Dunwell.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using NodaTime.Text;

namespace Dunwell.Features.Charges;

/// <summary>
/// Withdrawing a rate recorded for the wrong date: POST /api/v1/reference-rates/{series}/{effectiveFrom}/withdrawal.
/// </summary>
/// <remarks>
/// A correction fixes a rate's value; a withdrawal says the date itself was wrong, so the rate should not be there at all.
/// The rate stays as it was recorded and the withdrawal is a new record beside it (append-only), with its own audit event,
/// so the trail shows both. From then on statutory interest does not count the rate, and the next charge posting takes
/// back what it had charged at it. A withdrawal is final: the date cannot be recorded again, which keeps one story per date.
/// </remarks>
public static class ReferenceRateWithdrawals
{
    /// <summary>Why the rate is withdrawn, in a sentence the audit trail keeps: "Recorded for 1 May; the MPC met on 8 May".</summary>
    public sealed record WithdrawalRequest(string? Reason);

    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/reference-rates/{series}/{effectiveFrom}/withdrawal", WithdrawEndpointAsync)
            .WithName("WithdrawReferenceRate").WithSummary("Withdraw a rate recorded for the wrong date; it stays on record, marked withdrawn")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithTags("Charges").RequireAuthorization(Policies.Admin);

    internal static Task<Results<Created<ReferenceRatesApi.Rate>, ValidationProblem, ProblemHttpResult>> WithdrawEndpointAsync(
        string series, string effectiveFrom, [FromBody] WithdrawalRequest request, DunwellDb db, TimeProvider clock, ClaimsPrincipal user,
        CancellationToken cancellationToken) =>
        WithdrawAsync(series, effectiveFrom, request.Reason, db, clock, user, cancellationToken);

    /// <summary>The API and the admin page both withdraw through here.</summary>
    public static async Task<Results<Created<ReferenceRatesApi.Rate>, ValidationProblem, ProblemHttpResult>> WithdrawAsync(
        string series, string effectiveFrom, string? reason, DunwellDb db, TimeProvider clock, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (!ReferenceRatesApi.Series.Contains(series))
        {
            errors["series"] = [$"Use one of: {string.Join(", ", ReferenceRatesApi.Series)}."];
        }

        var date = LocalDatePattern.Iso.Parse(effectiveFrom);
        if (!date.Success)
        {
            errors["effectiveFrom"] = ["Not a date; use yyyy-MM-dd."];
        }

        reason = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim();
        if (reason is null)
        {
            errors["reason"] = ["Say why the rate is withdrawn: the audit trail keeps it."];
        }
        else if (reason.Length > ReferenceRatesApi.MaxReasonLength)
        {
            errors["reason"] = [$"Keep the reason to {ReferenceRatesApi.MaxReasonLength} characters."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var from = date.Value;
        var rate = await db.ReferenceRates.AsNoTracking().SingleOrDefaultAsync(r => r.Series == series && r.EffectiveFrom == from, cancellationToken);
        if (rate is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found",
                detail: $"No {series} rate is recorded from {effectiveFrom}; there is nothing to withdraw.");
        }

        if (await db.ReferenceRateWithdrawals.AnyAsync(w => w.RateId == rate.Id, cancellationToken))
        {
            return AlreadyWithdrawn(series, effectiveFrom);
        }

        var now = clock.Now();
        var actor = Actor.Of(user);
        db.ReferenceRateWithdrawals.Add(new ReferenceRateWithdrawal { RateId = rate.Id, Reason = reason!, WithdrawnBy = actor, WithdrawnAt = now });
        AuditLog.Add(db, actor, AuditLog.Actions.ReferenceRateWithdraw, ReferenceRatesApi.Subject(series, from), now,
            $"{MoneyText.Format(rate.BasisPoints, 2)}% from {effectiveFrom}, recorded by {rate.RecordedBy} at {InstantPattern.General.Format(rate.RecordedAt)}, withdrawn. Reason: {reason}");
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (ApiProblems.IsUniqueViolation(e))
        {
            // Another admin withdrew it a moment earlier.
            db.ChangeTracker.Clear();
            return AlreadyWithdrawn(series, effectiveFrom);
        }

        var withdrawn = (await ReferenceRatesApi.RatesAsync(db, series, cancellationToken)).Single(r => r.EffectiveFrom == from.ToDateOnly());
        return TypedResults.Created($"/api/v1/reference-rates/{series}", withdrawn);
    }

    private static ProblemHttpResult AlreadyWithdrawn(string series, string effectiveFrom) =>
        ApiProblems.Conflict($"The {series} rate from {effectiveFrom} is already withdrawn.", "effectiveFrom");
}
