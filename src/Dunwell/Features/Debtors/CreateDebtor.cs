using System.Security.Claims;
using Dunwell.Data;
using Dunwell.Domain.Accounts;
using Dunwell.Features.Accounts;
using Dunwell.Web;
using Dunwell.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Dunwell.Features.Debtors;

/// <summary>
/// POST /api/v1/debtors: a person or company with contacts, preferences, inconvenient times and flags, the customer of
/// one creditor (<c>creditorReference</c>, which may be left out by a caller acting for exactly one). The reference is the
/// creditor's debtor reference (unique for that creditor, as in placement files). Without a time zone one is inferred from the first
/// phone number that pins one down, or from a country with a single zone. <c>locationTimeZone</c> is where the debtor
/// says they are now, when they have said.
/// </summary>
public static class CreateDebtor
{
    public sealed record Request(
        string? Reference,
        DebtorKind? Kind,
        string? Name,
        string? AddressLine1,
        string? AddressLine2,
        string? City,
        string? Region,
        string? PostalCode,
        string? Country,
        string? TimeZone,
        string? Language,
        PreferencesWire? Preferences,
        IReadOnlyList<ContactInput?>? Contacts,
        IReadOnlyList<FlagInput?>? Flags,
        string? LocationTimeZone = null,
        IReadOnlyList<InconvenientTimeWire?>? InconvenientTimes = null,
        string? CreditorReference = null);

    public static RouteHandlerBuilder Map(IEndpointRouteBuilder api) =>
        api.MapPost("/debtors", HandleAsync)
            .WithName(nameof(CreateDebtor))
            .WithSummary("Create a debtor with contacts, preferences and flags")
            .WithTags("Debtors")
            .RequireAuthorization(Policies.Agent);

    internal static async Task<Results<Created<DebtorResponse>, ValidationProblem, ProblemHttpResult>> HandleAsync(
        [FromBody] Request request,
        DunwellDb db,
        TimeProvider clock,
        IDateTimeZoneProvider zones,
        ClaimsPrincipal user,
        CancellationToken cancellationToken)
    {
        var now = clock.Now();
        var errors = Validate(request, zones);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        // Whose customer: named, or the one creditor the caller acts for.
        var creditors = await db.Creditors
            .Where(c => request.CreditorReference == null || c.Reference == request.CreditorReference.Trim())
            .Select(c => new { c.Id, c.TimeZone }).Take(2).ToListAsync(cancellationToken);
        if (creditors.Count != 1)
        {
            return ApiProblems.Invalid("creditorReference", request.CreditorReference is null
                ? "Say whose customer this is: the creditor's reference (you act for more than one creditor, or none)."
                : $"There is no creditor '{request.CreditorReference.Trim()}'.");
        }

        var creditorId = creditors[0].Id;
        var creditorZone = zones.GetZoneOrNull(creditors[0].TimeZone) ?? DateTimeZone.Utc;
        var reference = request.Reference!.Trim();
        if (await db.Debtors.AnyAsync(d => d.CreditorId == creditorId && d.Reference == reference, cancellationToken))
        {
            return ApiProblems.Conflict($"A debtor with reference '{reference}' already exists.", "reference");
        }

        var actor = Actor.Of(user);
        var name = request.Name!.Trim();
        var debtor = new Debtor
        {
            CreditorId = creditorId,
            Reference = reference,
            Kind = request.Kind ?? DebtorKind.Person,
            Name = name,
            SearchName = name.ToLowerInvariant(),
            AddressLine1 = DebtorRules.Trimmed(request.AddressLine1),
            AddressLine2 = DebtorRules.Trimmed(request.AddressLine2),
            City = DebtorRules.Trimmed(request.City),
            Region = DebtorRules.Trimmed(request.Region),
            PostalCode = DebtorRules.Trimmed(request.PostalCode),
            Country = DebtorRules.NormaliseCountry(request.Country!),
            TimeZone = DebtorRules.Trimmed(request.TimeZone),
            AddressTimeZone = DebtorRules.Trimmed(request.TimeZone),
            LocationTimeZone = DebtorRules.Trimmed(request.LocationTimeZone),
            Language = DebtorRules.Trimmed(request.Language),
            CreatedAt = now,
            UpdatedAt = now,
        };
        if (request.Preferences is { } preferences)
        {
            DebtorRules.ApplyPreferences(debtor, preferences, _ => true, errors);
        }

        DebtorRules.ApplyContacts(debtor, request.Contacts ?? [], creating: true, now, zones, errors);
        DebtorRules.ApplyFlags(debtor, request.Flags ?? [], creating: true, actor, now, creditorZone, errors);
        DebtorRules.ApplyInconvenientTimes(debtor, request.InconvenientTimes, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        debtor.TimeZone ??= debtor.Contacts.Where(c => c.Kind == ContactKind.Phone).Select(c => c.TimeZone).FirstOrDefault(z => z is not null)
            ?? DebtorRules.ZoneOfCountry(debtor.Country, zones);

        // Two saves (the audit event names the new id), one transaction: all or nothing.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Debtors.Add(debtor);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (ApiProblems.IsUniqueViolation(e))
        {
            return ApiProblems.Conflict($"A debtor with reference '{reference}' already exists.", "reference");
        }

        AuditLog.Add(db, actor, AuditLog.Actions.DebtorCreate, $"debtor:{debtor.Id}", now);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        var view = await AccountQueries.GetDebtorAsync(db, debtor.Id, now, zones, cancellationToken);
        return TypedResults.Created($"/api/v1/debtors/{debtor.Id}", DebtorResponse.From(view!));
    }

    internal static Dictionary<string, string[]> Validate(Request request, IDateTimeZoneProvider zones)
    {
        var errors = new Dictionary<string, string[]>();
        Check(errors, "reference", DebtorRules.TextError(request.Reference, "debtor reference", required: true, max: 64));
        Check(errors, "name", DebtorRules.TextError(request.Name, "name", required: true));
        Check(errors, "addressLine1", DebtorRules.TextError(request.AddressLine1, "address line", required: false));
        Check(errors, "addressLine2", DebtorRules.TextError(request.AddressLine2, "address line", required: false));
        Check(errors, "city", DebtorRules.TextError(request.City, "city", required: false));
        Check(errors, "region", DebtorRules.TextError(request.Region, "region", required: false));
        Check(errors, "postalCode", DebtorRules.TextError(request.PostalCode, "postal code", required: false, max: 32));
        Check(errors, "country", DebtorRules.CountryError(request.Country));
        if (request.TimeZone is { Length: > 0 } zone)
        {
            Check(errors, "timeZone", DebtorRules.TimeZoneError(zones, zone));
        }

        if (request.LocationTimeZone is { Length: > 0 } location)
        {
            Check(errors, "locationTimeZone", DebtorRules.TimeZoneError(zones, location));
        }

        if (request.Language is { Length: > 0 } language)
        {
            Check(errors, "language", DebtorRules.LanguageError(language));
        }

        return errors;
    }

    internal static void Check(Dictionary<string, string[]> errors, string field, string? error)
    {
        if (error is not null)
        {
            errors[field] = [error];
        }
    }
}
