using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Dunwell.Data;
using Dunwell.Domain.Accounts;
using Dunwell.Domain.Amounts;
using Dunwell.Domain.Ledger;
using Dunwell.Domain.Privacy;
using Dunwell.Domain.Arrangements;
using Dunwell.Features.Accounts;
using Dunwell.Features.Arrangements;
using Dunwell.Features.CreditorPolicies;
using Dunwell.Web;
using Dunwell.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using NodaTime.Text;

namespace Dunwell.Features.Payments;

/// <summary>
/// A payment as the caller states it; the amount is a decimal string in major units. <see cref="Overpayment"/> says the
/// caller knows it is more than the balance and means to leave the account in credit.
/// </summary>
public sealed record PaymentInput(string? Amount, string? Currency, LocalDate? PaidOn, string? Method, string? Reference, string? Note, bool Overpayment = false);

/// <summary>A payment's entry components (all zero or negative), the balance after it, and the account's state after it.</summary>
public sealed record PaymentEffect(Components Allocation, Components BalanceAfter, AccountStatus Status, LocalDate LastPaymentDate);

public abstract record PaymentOutcome
{
    public sealed record Posted(LedgerEntry Entry, Components BalanceAfter, string Currency) : PaymentOutcome;

    public sealed record AccountNotFound : PaymentOutcome;

    /// <summary>Shape or business problems, keyed by field name (RFC 9457 "errors").</summary>
    public sealed record Invalid(Dictionary<string, string[]> Errors) : PaymentOutcome;

    /// <summary>More than the balance, and the caller did not say it is an overpayment: nothing was posted.</summary>
    public sealed record OverpaymentNotConfirmed(long AmountMinor, long BalanceMinor, string Currency) : PaymentOutcome
    {
        public long ExcessMinor => AmountMinor - Math.Max(0, BalanceMinor);

        /// <summary>"The payment of $700.00 is more than the balance of $612.40"; each caller adds how to confirm it.</summary>
        public string Sentence() =>
            $"The payment of {MoneyText.Written(AmountMinor, Currency)} is more than the balance of {MoneyText.Written(BalanceMinor, Currency)}";
    }

    /// <summary>The creditor already has a payment with this reference: nothing was posted.</summary>
    public sealed record ReferenceTaken(ReferenceHolder Holder) : PaymentOutcome;
}

/// <summary>
/// Posts a payment to an account's ledger: validates, allocates it (fees, interest, then principal), writes one
/// append-only entry and its audit event, and keeps the account's last payment date and status in step. Used by the
/// API and the account page.
/// <para>
/// POST /api/v1/accounts/{id}/payments requires an <c>Idempotency-Key</c> (see <see cref="Idempotency"/>): a retry
/// replays the first answer and never posts twice.
/// </para>
/// </summary>
public static class PostPayment
{
    public static readonly IReadOnlyList<string> Methods = ["card", "bank_transfer", "direct_debit", "cheque", "cash", "other"];

    /// <summary>A payment to post.</summary>
    /// <param name="Amount">A decimal string in major units ("25.00"), more than zero; no more than the balance unless <paramref name="Overpayment"/> is true.</param>
    /// <param name="Currency">When given, the account's currency.</param>
    /// <param name="PaidOn">The day the payment was made; not in the future.</param>
    /// <param name="Method">card, bank_transfer, direct_debit, cheque, cash or other.</param>
    /// <param name="Reference">The payer's or bank's reference. Unique per creditor across the API, the account page and payment files: a second posting with the same reference is refused with 409 naming the entry that holds it, whatever its Idempotency-Key.</param>
    /// <param name="Note">Free text, kept on the ledger entry.</param>
    /// <param name="Overpayment">True to post an amount larger than the balance, leaving the account in credit; without it such a payment is refused with 422 naming the amount and the balance.</param>
    public sealed record Request(string? Amount, string? Currency, DateOnly? PaidOn, string? Method, string? Reference, string? Note, bool? Overpayment = null);

    /// <summary>
    /// The posted entry: <see cref="Amount"/> paid, <see cref="Allocation"/> how much of it went to each component,
    /// and the account's <see cref="Balance"/> after it.
    /// </summary>
    public sealed record Response(
        long EntryId,
        long AccountId,
        MoneyAmount Amount,
        MoneyBreakdown Allocation,
        DateOnly PaidOn,
        DateTimeOffset PostedAt,
        string PostedBy,
        string? Method,
        string? Reference,
        MoneyBreakdown Balance,
        MoneyAmount? CreditBalance);

    public static RouteHandlerBuilder Map(IEndpointRouteBuilder api) =>
        api.MapPost("/accounts/{id:long}/payments", HandleAsync)
            .WithName(nameof(PostPayment))
            .WithSummary("Post a payment (requires an Idempotency-Key header; a retry replays the first response)")
            .WithTags("Payments")
            .RequireAuthorization(Policies.Agent)
            .RequireIdempotencyKey()
            .WithDescription("A payment larger than the balance is refused (422 naming the amount and the balance) unless the body says \"overpayment\": true; "
                + "the account is then in credit, shown as creditBalance. A reference is unique per creditor across the API, the account page and payment files: "
                + "a second posting with one is refused (409 naming the entry that holds it: entryId, accountReference, paidOn), whatever its Idempotency-Key.");

    internal static async Task<Results<Created<Response>, ValidationProblem, ProblemHttpResult>> HandleAsync(
        long id,
        [FromBody] Request request,
        HttpContext http,
        DunwellDb db,
        TimeProvider clock,
        ClaimsPrincipal user,
        CancellationToken cancellationToken)
    {
        var input = new PaymentInput(
            request.Amount, request.Currency, request.PaidOn is { } paidOn ? LocalDate.FromDateOnly(paidOn) : null, request.Method, request.Reference, request.Note,
            request.Overpayment == true);

        // The ledger's own unique key is a last guard under the Idempotency-Key: even a lost idempotency row cannot post twice.
        var key = http.Request.Headers[Idempotency.HeaderName].ToString().Trim();
        var ledgerKey = "api:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
            Idempotency.Scope(Actor.Of(user), http.Request.Method, http.Request.Path.Value ?? "", key))));

        var outcome = await RunAsync(db, id, input, Actor.Of(user), clock.Now(), ledgerKey, cancellationToken);
        return outcome switch
        {
            PaymentOutcome.Posted posted => TypedResults.Created(
                $"/api/v1/accounts/{id}/ledger/{posted.Entry.Id}",
                new Response(
                    posted.Entry.Id,
                    id,
                    MoneyAmount.Of(-posted.Entry.Amount.Total, posted.Currency),
                    MoneyBreakdown.Of(-posted.Entry.Amount, posted.Currency),
                    posted.Entry.ValueDate.ToDateOnly(),
                    posted.Entry.PostedAt.ToDateTimeOffset(),
                    posted.Entry.PostedBy,
                    posted.Entry.Method,
                    posted.Entry.Reference,
                    MoneyBreakdown.Of(posted.BalanceAfter, posted.Currency),
                    CreditOf(posted.BalanceAfter.Total, posted.Currency))),
            PaymentOutcome.Invalid invalid => TypedResults.ValidationProblem(invalid.Errors),
            PaymentOutcome.OverpaymentNotConfirmed over => OverpaymentProblem(over),
            PaymentOutcome.ReferenceTaken taken => PaymentReferences.Conflict(taken.Holder),
            PaymentOutcome.AccountNotFound => ApiProblems.NotFound("account", id),
            _ => throw new InvalidOperationException($"Unexpected payment outcome {outcome}."),
        };
    }

    /// <summary>The credit an account stands at, on the wire; null while anything (or nothing) is owed.</summary>
    public static MoneyAmount? CreditOf(long balanceTotal, string currency) =>
        Domain.Ledger.Overpayment.Credit(balanceTotal) is > 0 and var credit ? MoneyAmount.Of(credit, currency) : null;

    private static ProblemHttpResult OverpaymentProblem(PaymentOutcome.OverpaymentNotConfirmed over) =>
        TypedResults.Problem(new HttpValidationProblemDetails(new Dictionary<string, string[]>
        {
            ["amount"] = [$"{over.Sentence()}. Send \"overpayment\": true to record it as an overpayment, leaving the account in credit."],
        })
        {
            Status = StatusCodes.Status422UnprocessableEntity,
            Title = "Payment larger than the balance",
            Extensions =
            {
                ["amount"] = MoneyAmount.Of(over.AmountMinor, over.Currency),
                ["balance"] = MoneyAmount.Of(over.BalanceMinor, over.Currency),
            },
        });

    public static async Task<PaymentOutcome> RunAsync(
        DunwellDb db, long accountId, PaymentInput input, string actor, Instant now, string? idempotencyKey, CancellationToken cancellationToken)
    {
        await using var transaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        await AccountLock.TakeAsync(db, accountId, cancellationToken);
        var account = await db.Accounts.Include(a => a.Creditor).SingleOrDefaultAsync(a => a.Id == accountId, cancellationToken);
        if (account is null)
        {
            return new PaymentOutcome.AccountNotFound();
        }

        var errors = Validate(input, account.Currency, now);
        if (errors.Count > 0)
        {
            return new PaymentOutcome.Invalid(errors);
        }

        var reference = input.Reference?.Trim() is { Length: > 0 } given ? given : null;
        // References are kept as saved, so masked when they hold a card number: look them up the same way.
        var stored = CardNumbers.MaskOrNull(reference);
        if (stored is not null)
        {
            await PaymentReferences.LockAsync(db, account.CreditorId, stored, cancellationToken);
            if (await PaymentReferences.HolderAsync(db, account.CreditorId, stored, cancellationToken) is { } holder)
            {
                return new PaymentOutcome.ReferenceTaken(holder);
            }
        }

        MoneyText.TryParse(input.Amount, Currency.Of(account.Currency).Exponent, out var minor, out _);
        var balance = await AccountQueries.BalanceAsync(db, accountId, cancellationToken);
        if (Domain.Ledger.Overpayment.Excess(balance, minor) > 0 && !input.Overpayment)
        {
            return new PaymentOutcome.OverpaymentNotConfirmed(minor, balance.Total, account.Currency);
        }
        var paidOn = input.PaidOn!.Value;
        var policy = await PolicyStore.CurrentAsync(db, account.CreditorId, cancellationToken);
        var effect = Decide(balance, minor, account.Status, account.LastPaymentDate, paidOn, policy.Policy.AllocationOrder);
        var allocation = effect.Allocation;
        var entry = new LedgerEntry
        {
            AccountId = accountId,
            Kind = LedgerEntryKind.Payment,
            Principal = allocation.Principal,
            Interest = allocation.Interest,
            Fees = allocation.Fees,
            Currency = account.Currency,
            ValueDate = paidOn,
            PostedAt = now,
            PostedBy = actor,
            Method = input.Method?.Trim(),
            Reference = reference,
            IdempotencyKey = idempotencyKey,
            Note = input.Note?.Trim() is { Length: > 0 } note ? note : null,
        };
        db.Ledger.Add(entry);
        if (reference is not null)
        {
            db.PaymentReferences.Add(new PaymentReference { CreditorId = account.CreditorId, Reference = reference, Entry = entry });
        }

        account.LastPaymentDate = effect.LastPaymentDate;
        account.Status = effect.Status;
        account.UpdatedAt = now;
        AuditLog.Add(db, actor, AuditLog.Actions.PaymentCreate, $"account:{accountId}", now,
            detail: $"{MoneyText.Written(minor, account.Currency)} paid on {LocalDatePattern.Iso.Format(paidOn)}");
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException) when (stored is not null)
        {
            // Another posting of the reference committed after our look (a payment file does not take the lock). EF Core
            // rolled back to its savepoint, so the transaction still reads; answer with the holder if that is what failed.
            db.ChangeTracker.Clear();
            if (await PaymentReferences.HolderAsync(db, account.CreditorId, stored, cancellationToken) is { } holder)
            {
                return new PaymentOutcome.ReferenceTaken(holder);
            }

            throw;
        }

        // Every payment is checked against the account's active arrangement at once: a promise kept is kept today.
        if (await db.Arrangements.AnyAsync(a => a.AccountId == accountId && a.State == ArrangementState.Active, cancellationToken))
        {
            var today = now.InZone(DateTimeZoneProviders.Tzdb.GetZoneOrNull(account.Creditor.TimeZone) ?? DateTimeZone.Utc).Date;
            await EvaluateArrangements.RunAsync(db, today, accountId, actor, now, cancellationToken);
        }

        if (transaction is not null)
        {
            await transaction.CommitAsync(cancellationToken);
        }

        return new PaymentOutcome.Posted(entry, effect.BalanceAfter, account.Currency);
    }

    /// <summary>
    /// What a payment does, shared by this single posting and the payment file import: how it is allocated (fees,
    /// interest, then principal), the balance after it, and the account's status and last payment date.
    /// </summary>
    public static PaymentEffect Decide(
        Components balance, long amountMinor, AccountStatus status, LocalDate? lastPaymentDate, LocalDate paidOn, IReadOnlyList<Component>? allocationOrder = null)
    {
        var allocation = PaymentAllocation.Allocate(balance, amountMinor, allocationOrder);
        var after = balance + allocation;
        var last = lastPaymentDate is { } previous && previous >= paidOn ? previous : paidOn;
        var newStatus = after.Total <= 0 && status is AccountStatus.Active or AccountStatus.InArrangement ? AccountStatus.Paid : status;
        return new PaymentEffect(allocation, after, newStatus, last);
    }

    /// <summary>Shape rules: a positive amount in the account's currency with no more digits than it has; a date not in the future.</summary>
    public static Dictionary<string, string[]> Validate(PaymentInput input, string accountCurrency, Instant now)
    {
        var errors = new Dictionary<string, string[]>();
        if (input.Currency is { Length: > 0 } given && !string.Equals(given.Trim(), accountCurrency, StringComparison.Ordinal))
        {
            errors["currency"] = [$"The account is in {accountCurrency}; a payment in '{given}' cannot be posted to it."];
        }

        if (!MoneyText.TryParse(input.Amount, Currency.Of(accountCurrency).Exponent, out var minor, out var problem))
        {
            errors["amount"] = [$"Amount {problem}."];
        }
        else if (minor <= 0)
        {
            errors["amount"] = ["Amount must be more than zero; record a reversal to undo a payment."];
        }

        if (input.PaidOn is not { } paidOn)
        {
            errors["paidOn"] = ["Say when the payment was made."];
        }
        else if (paidOn > now.InUtc().Date.PlusDays(1))
        {
            errors["paidOn"] = ["A payment date cannot be in the future."];
        }

        if (input.Method is { Length: > 0 } method && !Methods.Contains(method.Trim()))
        {
            errors["method"] = [$"Unknown method '{method}'. Use one of: {string.Join(", ", Methods)}."];
        }

        if (input.Reference is { Length: > 128 })
        {
            errors["reference"] = ["Keep the reference under 128 characters."];
        }

        if (input.Note is { Length: > 1000 })
        {
            errors["note"] = ["Keep the note under 1000 characters."];
        }

        return errors;
    }
}
