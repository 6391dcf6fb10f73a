using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using Dunwell.Data;
using Dunwell.Domain.Accounts;
using Dunwell.Domain.Amounts;
using Dunwell.Domain.Arrangements;
using Dunwell.Domain.Inputs;
using Dunwell.Features.CreditorPolicies;
using Dunwell.Web;
using Dunwell.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Dunwell.Features.Arrangements;

/// <summary>
/// POST /api/v1/accounts/{id}/arrangements: a promise, plan or settlement. Outside the creditor's policy it is refused
/// (422, with each limit); beyond the proposer's authority it is saved as pending approval with the exact reasons and
/// a supervisor's task; otherwise it is active at once, with a recap and reminders queued. Every outcome is written
/// on the account's timeline.
/// </summary>
public static class ProposeArrangement
{
    /// <summary>
    /// <c>total</c>: what the customer will pay (decimal string; the balance when omitted, and required for a settlement);
    /// <c>instalments</c> and <c>frequency</c> for a plan; <c>downPayment</c> optional; <c>waive</c> for a fee waiver:
    /// how much of the fees and interest owed to take off (all of them when omitted).
    /// </summary>
    public sealed record Request(ArrangementKind? Kind, string? Total, DateOnly? FirstPaymentOn, Frequency? Frequency, int? Instalments, string? DownPayment, string? Note)
    {
        public string? Waive { get; init; }
    }

    public static RouteHandlerBuilder Map(IEndpointRouteBuilder api) =>
        api.MapPost("/accounts/{id:long}/arrangements", HandleAsync)
            .WithName(nameof(ProposeArrangement))
            .WithSummary("Propose a promise, plan, settlement or fee waiver; within authority it is agreed, beyond it pending approval")
            .WithTags("Arrangements")
            .RequireAuthorization(Policies.Agent)
            .RequireIdempotencyKey();

    internal static async Task<Results<Created<ArrangementResponse>, ValidationProblem, ProblemHttpResult>> HandleAsync(
        long id, [FromBody] Request request, DunwellDb db, TimeProvider clock, IDateTimeZoneProvider zones, ClaimsPrincipal user,
        CancellationToken cancellationToken)
    {
        var now = clock.Now();
        if (!await db.Accounts.AnyAsync(a => a.Id == id, cancellationToken))
        {
            return ApiProblems.NotFound("account", id);
        }

        // One proposal at a time per account, read and written under its lock, all or nothing (the page has no idempotency filter around it).
        await using var transaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        await AccountLock.TakeAsync(db, id, cancellationToken);
        var context = (await ArrangementContext.LoadAsync(db, id, now, null, zones, cancellationToken))!;

        var (terms, schedule, errors) = Shape(request, context);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        // A fee waiver sits beside a plan (it has no payments), but two of the same family at once would contradict each other.
        var isWaiver = terms!.Kind == ArrangementKind.FeeWaiver;
        if (await db.Arrangements.AnyAsync(a => a.AccountId == id && (a.Kind == ArrangementKind.FeeWaiver) == isWaiver
                && (a.State == ArrangementState.Active || a.State == ArrangementState.PendingApproval), cancellationToken))
        {
            return ApiProblems.Conflict(isWaiver
                ? "A fee waiver for this account is already waiting for approval; decide it first."
                : "The account already has an active or pending arrangement; cancel or complete it first.");
        }

        var role = ArrangementContext.RoleOf(user);
        // Waivers agreed without approval add up against the cap, so a large waiver cannot be cut into small ones.
        var waivedBefore = isWaiver
            ? await db.Arrangements.Where(a => a.AccountId == id && a.Kind == ArrangementKind.FeeWaiver && a.State == ArrangementState.Completed && a.DecidedBy == null)
                .SumAsync(a => a.FeeWaiverMinor, cancellationToken)
            : 0;
        var decision = Authority.Check(terms with { FeeWaiverMinor = terms.FeeWaiverMinor + waivedBefore }, context.Policy.Policy, role, context.DaysPastDue, context.Today);
        if (decision.Refused)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status422UnprocessableEntity,
                title: "These terms are outside the creditor's policy",
                detail: string.Join(" ", decision.OutsidePolicy.Select(f => f.Message)),
                extensions: new Dictionary<string, object?> { ["findings"] = decision.OutsidePolicy.Select(f => new FindingWire(f.Limit, f.Message)) });
        }

        var actor = Actor.Of(user);
        var account = await db.Accounts.Include(a => a.Creditor).SingleAsync(a => a.Id == id, cancellationToken);
        var policyVersion = context.Policy.Version;
        long policyVersionId;
        if (context.Policy.VersionId is { } existing)
        {
            policyVersionId = existing;
        }
        else
        {
            // The built-in default was in force: save it as version 1 so this decision can always be explained.
            var saved = await PolicyStore.SaveAsync(db, context.CreditorId, context.Policy.Policy, "system:default-policy", now, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            (policyVersionId, policyVersion) = (saved.Id, saved.Version);
        }

        var lastEntry = await db.Ledger.Where(e => e.AccountId == id).MaxAsync(e => (long?)e.Id, cancellationToken) ?? 0;
        var arrangement = new Arrangement
        {
            AccountId = id,
            PaymentsAfterEntryId = lastEntry,
            Kind = terms!.Kind,
            State = decision.NeedsApproval ? ArrangementState.PendingApproval : ArrangementState.Proposed,
            Currency = context.Currency.Code,
            TotalMinor = terms.AgreedTotalMinor,
            // Only a settlement forgives what is left; a promise for part of the balance leaves the rest owed.
            DiscountMinor = terms.Kind == ArrangementKind.Settlement ? Math.Max(0, context.Balance.Total - terms.AgreedTotalMinor) : 0,
            FeeWaiverMinor = terms.FeeWaiverMinor,
            Frequency = terms.Frequency,
            BalanceMinor = context.Balance.Total,
            CreatedBy = actor,
            CreatedByRole = role,
            CreatedAt = now,
            PolicyVersionId = policyVersionId,
            PolicyFindingsJson = JsonSerializer.Serialize(decision.BeyondAuthority, PolicyStore.Json),
            Instalments = [.. schedule.Select(i => new ArrangementInstalment { Number = i.Number, DueOn = i.DueOn, AmountMinor = i.Amount.Minor })],
        };
        db.Arrangements.Add(arrangement);
        await db.SaveChangesAsync(cancellationToken);

        var summary = Describe(arrangement);
        IReadOnlyList<OutboxMessage> queued = [];
        if (decision.NeedsApproval)
        {
            db.Tasks.Add(new WorkTask
            {
                AccountId = id,
                Kind = WorkTaskKind.Approval,
                ArrangementId = arrangement.Id,
                Title = $"Approve or reject: {summary}",
                Note = string.Join(" ", decision.BeyondAuthority.Select(f => f.Message)),
                DueAt = now + Duration.FromHours(24),
                Cause = $"approval:{arrangement.Id}",
                CreatedAt = now,
            });
        }
        else
        {
            queued = await ArrangementActivation.ActivateAsync(db, arrangement, account, context.Balance, actor, now, zones.GetZoneOrNull(account.Creditor.TimeZone) ?? DateTimeZone.Utc, cancellationToken);
        }

        var why = request.Note is { Length: > 0 } note ? " " + note.Trim() : "";
        TimelineNote.Add(db, account, actor, now, decision.NeedsApproval
                ? $"{summary} proposed; pending a supervisor's approval: {string.Join(" ", decision.BeyondAuthority.Select(f => f.Message))} Not yet confirmed to the customer.{why}"
                : $"{summary} agreed.{why}", isWaiver ? OutcomeCode.None : OutcomeCode.Promise);
        AuditLog.Add(db, actor, "arrangement.create", $"account:{id}", now, $"arrangement:{arrangement.Id} {arrangement.State}");
        await db.SaveChangesAsync(cancellationToken);
        await Compliance.OutboxGate.ScreenAsync(db, queued, now, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        if (transaction is not null)
        {
            await transaction.CommitAsync(cancellationToken);
        }

        return TypedResults.Created($"/api/v1/arrangements/{arrangement.Id}",
            ArrangementResponse.From(arrangement, policyVersion, decision.BeyondAuthority));
    }

    /// <summary>Shape rules and the schedule; what the limits say is the authority check's business.</summary>
    internal static (ProposedTerms? Terms, IReadOnlyList<Instalment> Schedule, Dictionary<string, string[]> Errors) Shape(Request request, ArrangementContext context)
    {
        var errors = new Dictionary<string, string[]>();
        var exponent = context.Currency.Exponent;
        if (request.Kind is not { } kind)
        {
            errors["kind"] = ["Say which: promise, plan, settlement or feeWaiver."];
            return (null, [], errors);
        }

        if (context.Balance.Total <= 0)
        {
            errors["kind"] = ["Nothing is owed on this account."];
        }

        if (kind == ArrangementKind.FeeWaiver)
        {
            return ShapeWaiver(request, context, errors);
        }

        var total = context.Balance.Total;
        if (request.Total is { } totalText)
        {
            if (!MoneyText.TryParse(totalText, exponent, out total, out var problem))
            {
                errors["total"] = [$"Total {problem}."];
            }
            else if (total <= 0 || total > context.Balance.Total)
            {
                errors["total"] = [$"The total must be more than zero and at most the balance of {MoneyText.Written(context.Balance.Total, context.Currency)}."];
            }
        }
        else if (kind == ArrangementKind.Settlement)
        {
            errors["total"] = ["Say what the settlement amount is."];
        }

        if (request.FirstPaymentOn is not { } first)
        {
            errors["firstPaymentOn"] = ["Say when the first payment is due."];
        }
        else if (Plausible.DateProblem(LocalDate.FromDateOnly(first)) is { } outside)
        {
            errors["firstPaymentOn"] = [$"The first payment date {outside}."];
        }

        long down = 0;
        if (request.DownPayment is { } downText && (!MoneyText.TryParse(downText, exponent, out down, out _) || down < 0 || down >= total))
        {
            errors["downPayment"] = ["A down payment is a positive amount less than the total."];
        }

        // A settlement is a lump sum, or a short plan when it is given a frequency and a number of payments.
        var instalmentsAsked = kind == ArrangementKind.Plan || (kind == ArrangementKind.Settlement && (request.Frequency is not null || request.Instalments is > 1));
        if (instalmentsAsked)
        {
            if (request.Frequency is null)
            {
                errors["frequency"] = ["Say how often: weekly, fortnightly or monthly."];
            }

            if (request.Instalments is not (>= 2 and <= 520))
            {
                errors["instalments"] = [kind == ArrangementKind.Plan ? "A plan has 2 to 520 instalments." : "A settlement in instalments has 2 or more of them."];
            }
        }

        if (errors.Count > 0)
        {
            return (null, [], errors);
        }

        var firstOn = LocalDate.FromDateOnly(request.FirstPaymentOn!.Value);
        var money = new Money(total, context.Currency);
        // With a down payment, the down payment is the first of the instalments asked for.
        IReadOnlyList<Instalment> schedule = instalmentsAsked
            ? InstalmentSchedule.Generate(money, firstOn, request.Frequency!.Value, request.Instalments!.Value - (down > 0 ? 1 : 0),
                down > 0 ? new Money(down, context.Currency) : null)
            : [new Instalment(1, firstOn, money)];
        var terms = new ProposedTerms(kind, context.Currency, context.Balance.Total, total, schedule[0].DueOn, schedule[^1].DueOn, schedule.Count,
            schedule.Min(i => i.Amount.Minor), instalmentsAsked ? request.Frequency : null, FeeWaiverMinor: 0)
        {
            FirstInstalmentMinor = schedule[0].Amount.Minor,
        };
        return (terms, schedule, errors);
    }

    /// <summary>A waiver takes fees first, then interest, and never more than they come to; it has no payments.</summary>
    private static (ProposedTerms? Terms, IReadOnlyList<Instalment> Schedule, Dictionary<string, string[]> Errors) ShapeWaiver(
        Request request, ArrangementContext context, Dictionary<string, string[]> errors)
    {
        var exponent = context.Currency.Exponent;
        var charges = Math.Max(0, context.Balance.Fees) + Math.Max(0, context.Balance.Interest);
        var waive = charges;
        if (request.Waive is { } waiveText && !MoneyText.TryParse(waiveText, exponent, out waive, out var problem))
        {
            errors["waive"] = [$"The amount to waive {problem}."];
        }
        else if (charges == 0)
        {
            errors["waive"] = ["No fees or interest are owed on this account, so there is nothing to waive."];
        }
        else if (waive <= 0 || waive > charges)
        {
            errors["waive"] = [$"Waive more than zero and at most the {MoneyText.Written(charges, context.Currency)} of fees and interest owed."];
        }

        if (errors.Count > 0)
        {
            return (null, [], errors);
        }

        var terms = new ProposedTerms(ArrangementKind.FeeWaiver, context.Currency, context.Balance.Total, context.Balance.Total - waive,
            context.Today, context.Today, 0, 0, null, waive);
        return (terms, [], errors);
    }

    internal static string Describe(Arrangement a)
    {
        // Kept on the timeline, so in one locale whoever records it: "$1,144.99".
        string Amount(long minor) => MoneyText.Written(minor, a.Currency);
        if (a.Kind == ArrangementKind.FeeWaiver)
        {
            return $"Waiver of {Amount(a.FeeWaiverMinor)} of fees and interest";
        }

        var first = a.Instalments.OrderBy(i => i.Number).First();
        var last = a.Instalments.OrderBy(i => i.Number).Last();
        return a.Kind switch
        {
            ArrangementKind.Promise => string.Create(CultureInfo.InvariantCulture, $"Promise to pay {Amount(a.TotalMinor)} by {first.DueOn:d MMMM yyyy}"),
            ArrangementKind.Settlement when a.Instalments.Count > 1 => string.Create(CultureInfo.InvariantCulture,
                $"Settlement of {Amount(a.TotalMinor)} in {a.Instalments.Count} {a.Frequency?.ToString().ToLowerInvariant()} payments (writing off {Amount(a.DiscountMinor)}), {first.DueOn:d MMM yyyy} to {last.DueOn:d MMM yyyy}"),
            ArrangementKind.Settlement => string.Create(CultureInfo.InvariantCulture, $"Settlement of {Amount(a.TotalMinor)} (writing off {Amount(a.DiscountMinor)}) by {last.DueOn:d MMMM yyyy}"),
            _ => string.Create(CultureInfo.InvariantCulture,
                $"Plan of {a.Instalments.Count} {a.Frequency?.ToString().ToLowerInvariant()} payments, {Amount(a.TotalMinor)} in all, {first.DueOn:d MMM yyyy} to {last.DueOn:d MMM yyyy}"),
        };
    }
}
