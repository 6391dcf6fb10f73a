using System.Security.Claims;
using Dunwell.Data;
using Dunwell.Domain.Accounts;
using Dunwell.Domain.Amounts;
using Dunwell.Domain.Inputs;
using Dunwell.Domain.Ledger;
using Dunwell.Web;
using Dunwell.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Dunwell.Features.Accounts;

/// <summary>
/// POST /api/v1/accounts: places an account for an existing creditor and debtor and posts its opening Charge
/// (principal, interest and fees as placed). The account and its charge are saved together or not at all.
/// </summary>
public static class CreateAccount
{
    /// <summary>Amounts are decimal strings in major units of <see cref="Currency"/> ("500.00"); interest and fees default to zero.</summary>
    public sealed record Request(
        string? Reference,
        string? CreditorReference,
        long? DebtorId,
        AccountKind? Kind,
        string? Currency,
        string? Principal,
        string? Interest,
        string? Fees,
        DateOnly? DueDate,
        DateOnly? ItemizationDate,
        string? OriginalCreditor);

    public static RouteHandlerBuilder Map(IEndpointRouteBuilder api) =>
        api.MapPost("/accounts", HandleAsync)
            .WithName(nameof(CreateAccount))
            .WithSummary("Place an account (debt or invoice) and post its opening charge")
            .WithTags("Accounts")
            .RequireAuthorization(Policies.Agent);

    internal static async Task<Results<Created<AccountApi.Response>, ValidationProblem, ProblemHttpResult>> HandleAsync(
        [FromBody] Request request,
        DunwellDb db,
        TimeProvider clock,
        IDateTimeZoneProvider zones,
        ClaimsPrincipal user,
        CancellationToken cancellationToken)
    {
        var now = clock.Now();
        if (Validate(request, out var opening) is { Count: > 0 } errors)
        {
            return TypedResults.ValidationProblem(errors);
        }

        // Load what the decision needs: the creditor, the debtor, whether the reference is taken.
        var creditorReference = request.CreditorReference!.Trim();
        var creditorId = await db.Creditors.Where(c => c.Reference == creditorReference).Select(c => (long?)c.Id).SingleOrDefaultAsync(cancellationToken);
        var debtorRow = await db.Debtors.Where(d => d.Id == request.DebtorId).Select(d => new { d.Country, d.CreditorId }).SingleOrDefaultAsync(cancellationToken);
        var debtorCountry = debtorRow?.Country;
        var debtorExists = debtorCountry is not null;
        var noPack = request.Kind == AccountKind.Consumer ? Compliance.ContactQuestion.NoConsumerPack(debtorCountry) : null;
        if (creditorId is null || !debtorExists || noPack is not null)
        {
            errors = [];
            Check(errors, "creditorReference", creditorId is null ? $"There is no creditor '{creditorReference}'." : null);
            Check(errors, "debtorId", debtorExists ? null : $"There is no debtor {request.DebtorId}; create it with POST /api/v1/debtors first.");
            Check(errors, "kind", noPack);
            return TypedResults.ValidationProblem(errors);
        }

        if (debtorRow!.CreditorId != creditorId)
        {
            return ApiProblems.Invalid("debtorId", $"Debtor {request.DebtorId} is another creditor's customer; an account of '{creditorReference}' needs a debtor of '{creditorReference}'.");
        }

        var reference = request.Reference!.Trim();
        if (await db.Accounts.AnyAsync(a => a.Reference == reference, cancellationToken))
        {
            return ApiProblems.Conflict($"An account with reference '{reference}' already exists.", "reference");
        }

        var actor = Actor.Of(user);
        var account = new Account
        {
            Reference = reference,
            CreditorId = creditorId.Value,
            DebtorId = request.DebtorId!.Value,
            Kind = request.Kind!.Value,
            Currency = request.Currency!.Trim(),
            DueDate = LocalDate.FromDateOnly(request.DueDate!.Value),
            ItemizationDate = request.ItemizationDate is { } itemized ? LocalDate.FromDateOnly(itemized) : null,
            OriginalCreditor = request.OriginalCreditor?.Trim() is { Length: > 0 } original ? original : null,
            Status = AccountStatus.Active,
            CreatedAt = now,
            UpdatedAt = now,
        };

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Accounts.Add(account);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (ApiProblems.IsUniqueViolation(e))
        {
            return ApiProblems.Conflict($"An account with reference '{reference}' already exists.", "reference");
        }

        db.Ledger.Add(new LedgerEntry
        {
            AccountId = account.Id,
            Kind = LedgerEntryKind.Charge,
            Principal = opening.Principal,
            Interest = opening.Interest,
            Fees = opening.Fees,
            Currency = account.Currency,
            ValueDate = account.DueDate,
            PostedAt = now,
            PostedBy = actor,
            Note = "Opening balance as placed",
        });
        AuditLog.Add(db, actor, AuditLog.Actions.AccountCreate, $"account:{account.Id}", now,
            detail: $"{MoneyText.Written(opening.Total, account.Currency)} for debtor:{account.DebtorId}");
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        var view = await AccountQueries.GetAsync(db, account.Id, now, zones, cancellationToken);
        return TypedResults.Created($"/api/v1/accounts/{account.Id}", AccountApi.Response.From(view!));
    }

    /// <summary>Shape rules; <paramref name="opening"/> is the opening balance in minor units when the amounts are valid.</summary>
    internal static Dictionary<string, string[]> Validate(Request request, out Components opening)
    {
        opening = Components.None;
        var errors = new Dictionary<string, string[]>();
        Check(errors, "reference", Debtors.DebtorRules.TextError(request.Reference, "account reference", required: true, max: 64));
        Check(errors, "creditorReference", Debtors.DebtorRules.TextError(request.CreditorReference, "creditor reference", required: true, max: 64));
        Check(errors, "originalCreditor", Debtors.DebtorRules.TextError(request.OriginalCreditor, "original creditor", required: false));
        if (request.DebtorId is null)
        {
            errors["debtorId"] = ["Say which debtor owes this account."];
        }

        if (request.Kind is null)
        {
            errors["kind"] = ["Say consumer or commercial."];
        }

        if (request.DueDate is null)
        {
            errors["dueDate"] = ["Give the due date (yyyy-MM-dd)."];
        }

        if (request.ItemizationDate is { } itemization && request.DueDate is { } due && itemization > due.AddYears(10))
        {
            errors["itemizationDate"] = ["The itemization date is implausibly far after the due date."];
        }

        if (!Currency.TryParse(request.Currency?.Trim(), out var currency))
        {
            errors["currency"] = [$"'{request.Currency}' is not an ISO 4217 currency code in circulation, like USD or GBP."];
            return errors;
        }

        var principal = Amount(request.Principal, "principal", currency, required: true, errors);
        var interest = Amount(request.Interest, "interest", currency, required: false, errors);
        var fees = Amount(request.Fees, "fees", currency, required: false, errors);
        if (errors.ContainsKey("principal") || errors.ContainsKey("interest") || errors.ContainsKey("fees"))
        {
            return errors;
        }

        opening = new Components(principal, interest, fees);
        if (opening.Total <= 0)
        {
            errors["principal"] = ["An account needs something owed: principal, interest and fees add up to zero."];
        }
        else if (Plausible.AmountProblem(opening.Total, currency.Exponent) is { } tooMuch)
        {
            errors["principal"] = [$"Principal, interest and fees together {tooMuch}."];
        }

        return errors;
    }

    private static long Amount(string? text, string field, Currency currency, bool required, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            if (required)
            {
                errors[field] = [$"Give the {field} as a decimal string, like \"500.00\"."];
            }

            return 0;
        }

        if (!MoneyText.TryParse(text, currency.Exponent, out var minor, out var problem))
        {
            errors[field] = [$"The {field} {problem}."];
            return 0;
        }

        if (minor < 0)
        {
            errors[field] = [$"The {field} cannot be negative."];
        }

        return minor;
    }

    private static void Check(Dictionary<string, string[]> errors, string field, string? error) => Debtors.CreateDebtor.Check(errors, field, error);
}
