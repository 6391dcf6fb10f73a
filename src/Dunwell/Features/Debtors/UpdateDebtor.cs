using System.Security.Claims;
using System.Text.Json;
using Dunwell.Data;
using Dunwell.Domain.Accounts;
using Dunwell.Features.Accounts;
using Dunwell.Web;
using Dunwell.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NodaTime;

namespace Dunwell.Features.Debtors;

/// <summary>
/// PATCH /api/v1/debtors/{id}, JSON merge-patch style: a field left out stays as it is, a field set to null is cleared
/// (name, kind and country cannot be cleared). <c>preferences</c> merges the same way, field by field.
/// <c>inconvenientTimes</c> replaces the debtor's list (null or [] clears it).
/// <c>contacts</c> and <c>flags</c> are lists of changes: an item without an id is added; a contact with an id is
/// changed (value, label, consent, consentExpiresAt, timeZone, workplace, employerProhibits, inconvenientPlace) or
/// removed (<c>"remove": true</c>), except that a contact carrying the customer's wish (opted out, an inconvenient
/// place, an employer's prohibition) keeps its value and stays; a flag with an id is ended by giving its <c>until</c>
/// date. The debtor reference never changes. All changes apply together or none does.
/// </summary>
public static class UpdateDebtor
{
    public sealed record Request(
        string? Name,
        DebtorKind? Kind,
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
        IReadOnlyList<InconvenientTimeWire?>? InconvenientTimes = null);

    private static readonly HashSet<string> Fields =
    [
        "name", "kind", "addressLine1", "addressLine2", "city", "region", "postalCode", "country", "timeZone", "locationTimeZone", "language",
        "preferences", "inconvenientTimes", "contacts", "flags",
    ];

    public static RouteHandlerBuilder Map(IEndpointRouteBuilder api) =>
        api.MapPatch("/debtors/{id:long}", HandleAsync)
            .WithName(nameof(UpdateDebtor))
            .WithSummary("Change a debtor: details, preferences, contacts and flags (merge-patch style)")
            .WithTags("Debtors")
            .Accepts<Request>("application/json", "application/merge-patch+json")
            .RequireAuthorization(Policies.Agent);

    internal static async Task<Results<Ok<DebtorResponse>, ValidationProblem, ProblemHttpResult>> HandleAsync(
        long id,
        JsonElement body,
        DunwellDb db,
        TimeProvider clock,
        IDateTimeZoneProvider zones,
        IOptions<JsonOptions> json,
        ClaimsPrincipal user,
        CancellationToken cancellationToken)
    {
        var now = clock.Now();
        if (body.ValueKind != JsonValueKind.Object)
        {
            return ApiProblems.Invalid("body", "Send a JSON object with the fields to change.");
        }

        var errors = new Dictionary<string, string[]>();
        foreach (var property in body.EnumerateObject().Where(p => !Fields.Contains(p.Name)))
        {
            errors[property.Name] = [property.Name == "reference"
                ? "A debtor's reference never changes."
                : $"Unknown field. Fields that can change: {string.Join(", ", Fields)}."];
        }

        Request? request;
        try
        {
            request = body.Deserialize<Request>(json.Value.SerializerOptions);
        }
        catch (JsonException e)
        {
            errors[ApiProblems.FieldOf(e)] = [ApiProblems.MessageFor(e, typeof(Request))];
            request = null;
        }

        if (errors.Count > 0 || request is null)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var debtor = await db.Debtors.Include(d => d.Contacts).Include(d => d.Flags).Include(d => d.InconvenientTimes).AsSplitQuery()
            .SingleOrDefaultAsync(d => d.Id == id, cancellationToken);
        if (debtor is null)
        {
            return ApiProblems.NotFound("debtor", id);
        }

        bool Has(string field) => body.TryGetProperty(field, out _);
        var actor = Actor.Of(user);
        Apply(debtor, request, Has, zones, errors);
        if (Has("country") && !errors.ContainsKey("country") && Compliance.ContactQuestion.NoConsumerPack(debtor.Country) is { } noPack
            && await db.Accounts.AnyAsync(a => a.DebtorId == id && a.Kind == AccountKind.Consumer, cancellationToken))
        {
            errors["country"] = [$"{noPack} This debtor owes consumer debts."];
        }
        if (body.TryGetProperty("preferences", out var preferences))
        {
            if (preferences.ValueKind == JsonValueKind.Null)
            {
                DebtorRules.ApplyPreferences(debtor, new PreferencesWire(null, null, null, null), _ => true, errors);
            }
            else
            {
                DebtorRules.ApplyPreferences(debtor, request.Preferences!, field => preferences.TryGetProperty(field, out _), errors);
            }
        }

        if (Has("contacts"))
        {
            var items = body.GetProperty("contacts");
            DebtorRules.ApplyContacts(debtor, request.Contacts ?? [], creating: false, now, zones, errors,
                present: (i, field) => items.ValueKind == JsonValueKind.Array && items[i].ValueKind == JsonValueKind.Object && items[i].TryGetProperty(field, out _));
        }

        if (Has("inconvenientTimes"))
        {
            DebtorRules.ApplyInconvenientTimes(debtor, request.InconvenientTimes, errors);
        }

        if (Has("flags"))
        {
            var creditorZone = await db.Creditors.Where(c => c.Id == debtor.CreditorId).Select(c => c.TimeZone).SingleAsync(cancellationToken);
            DebtorRules.ApplyFlags(debtor, request.Flags ?? [], creating: false, actor, now, zones.GetZoneOrNull(creditorZone) ?? DateTimeZone.Utc, errors);
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        debtor.TimeZone ??= debtor.Contacts.Where(c => c.Kind == ContactKind.Phone).Select(c => c.TimeZone).FirstOrDefault(z => z is not null)
            ?? DebtorRules.ZoneOfCountry(debtor.Country, zones);
        debtor.UpdatedAt = now;
        AuditLog.Add(db, actor, AuditLog.Actions.DebtorUpdate, $"debtor:{id}", now,
            detail: string.Join(", ", body.EnumerateObject().Select(p => p.Name)));
        if (debtor.Flags.Any(f => f.Id == 0 && f.Kind == DebtorFlagKind.Vulnerable))
        {
            await OpenSpecialistReviewsAsync(db, id, now, cancellationToken);
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (ApiProblems.IsUniqueViolation(e))
        {
            return ApiProblems.Conflict("Another change to this debtor's contacts was saved at the same time; reload and try again.", "contacts");
        }

        var view = await AccountQueries.GetDebtorAsync(db, id, now, zones, cancellationToken);
        return TypedResults.Ok(DebtorResponse.From(view!));
    }

    /// <summary>
    /// A customer newly flagged vulnerable goes to a specialist (FCA FG21/1; the compliance rules also stop automated
    /// pressure): one review task per open account, once per account and day.
    /// </summary>
    private static async Task OpenSpecialistReviewsAsync(DunwellDb db, long debtorId, Instant now, CancellationToken cancellationToken)
    {
        var open = await db.Accounts
            .Where(a => a.DebtorId == debtorId && a.Status != AccountStatus.Paid && a.Status != AccountStatus.Settled
                && a.Status != AccountStatus.Closed && a.Status != AccountStatus.WrittenOff)
            .Select(a => a.Id).ToListAsync(cancellationToken);
        var day = NodaTime.Text.LocalDatePattern.Iso.Format(now.InUtc().Date);
        var causes = open.Select(a => $"vulnerable:{a}:{day}").ToList();
        var existing = await db.Tasks.Where(t => causes.Contains(t.Cause)).Select(t => t.Cause).ToListAsync(cancellationToken);
        foreach (var accountId in open.Where(a => !existing.Contains($"vulnerable:{a}:{day}")))
        {
            db.Tasks.Add(new WorkTask
            {
                AccountId = accountId,
                Kind = WorkTaskKind.SpecialistReview,
                Title = "Specialist review: the customer is flagged vulnerable",
                Note = "Review the account with the customer's circumstances in mind: forbearance options, how and how often to contact, and whether automated contact should stop.",
                DueAt = now + Duration.FromDays(1),
                Cause = $"vulnerable:{accountId}:{day}",
                CreatedAt = now,
            });
        }
    }

    /// <summary>The plain fields: set when present, cleared when null (except the ones a debtor cannot be without).</summary>
    private static void Apply(Debtor debtor, Request request, Func<string, bool> has, IDateTimeZoneProvider zones, Dictionary<string, string[]> errors)
    {
        if (has("name"))
        {
            if (DebtorRules.TextError(request.Name, "name", required: true) is { } error)
            {
                errors["name"] = [error];
            }
            else
            {
                debtor.Name = request.Name!.Trim();
                debtor.SearchName = debtor.Name.ToLowerInvariant();
            }
        }

        if (has("kind"))
        {
            if (request.Kind is { } kind)
            {
                debtor.Kind = kind;
            }
            else
            {
                errors["kind"] = ["Say person or company."];
            }
        }

        if (has("country"))
        {
            if (DebtorRules.CountryError(request.Country) is { } error)
            {
                errors["country"] = [error];
            }
            else
            {
                debtor.Country = DebtorRules.NormaliseCountry(request.Country!);
            }
        }

        SetText(has, "addressLine1", request.AddressLine1, "address line", DebtorRules.MaxText, v => debtor.AddressLine1 = v, errors);
        SetText(has, "addressLine2", request.AddressLine2, "address line", DebtorRules.MaxText, v => debtor.AddressLine2 = v, errors);
        SetText(has, "city", request.City, "city", DebtorRules.MaxText, v => debtor.City = v, errors);
        SetText(has, "region", request.Region, "region", DebtorRules.MaxText, v => debtor.Region = v, errors);
        SetText(has, "postalCode", request.PostalCode, "postal code", 32, v => debtor.PostalCode = v, errors);

        if (has("timeZone"))
        {
            if (request.TimeZone is { Length: > 0 } zone && DebtorRules.TimeZoneError(zones, zone) is { } error)
            {
                errors["timeZone"] = [error];
            }
            else
            {
                debtor.TimeZone = DebtorRules.Trimmed(request.TimeZone); // null: inferred again below
                debtor.AddressTimeZone = debtor.TimeZone;
            }
        }

        if (has("locationTimeZone"))
        {
            if (request.LocationTimeZone is { Length: > 0 } location && DebtorRules.TimeZoneError(zones, location) is { } error)
            {
                errors["locationTimeZone"] = [error];
            }
            else
            {
                debtor.LocationTimeZone = DebtorRules.Trimmed(request.LocationTimeZone);
            }
        }

        if (has("language"))
        {
            if (request.Language is { Length: > 0 } language && DebtorRules.LanguageError(language) is { } error)
            {
                errors["language"] = [error];
            }
            else
            {
                debtor.Language = DebtorRules.Trimmed(request.Language);
            }
        }
    }

    private static void SetText(
        Func<string, bool> has, string field, string? value, string what, int max, Action<string?> set, Dictionary<string, string[]> errors)
    {
        if (!has(field))
        {
            return;
        }

        if (DebtorRules.TextError(value, what, required: false, max) is { } error)
        {
            errors[field] = [error];
            return;
        }

        set(DebtorRules.Trimmed(value));
    }
}
