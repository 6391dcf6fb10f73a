using System.Security.Claims;
using System.Text.Json;
using Dunwell.Data;
using Dunwell.Domain.Accounts;
using Dunwell.Domain.Compliance;
using Dunwell.Web;
using Dunwell.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NodaTime;
using NodaTime.Text;

namespace Dunwell.Features.Accounts;

/// <summary>
/// PATCH /api/v1/accounts/{id}, JSON merge-patch style, for the facts the compliance rules read: a field left out stays
/// as it is, a field set to null is cleared. <c>limitationDate</c> is the first day suit can no longer be brought;
/// <c>validationNoticeSentAt</c> when the validation notice was sent; <c>validationPeriodEnd</c> the end date printed
/// on it (not before the day it was sent, in the creditor's calendar, and only with a sent notice; for a US consumer
/// debt not before the end Regulation F gives from that day). Balances, status and
/// the placement details are not changed here. All changes apply together or none does; the answer is the account as
/// GET /accounts/{id} returns it.
/// </summary>
public static class UpdateAccount
{
    public sealed record Request(DateOnly? LimitationDate, DateTimeOffset? ValidationNoticeSentAt, DateOnly? ValidationPeriodEnd);

    private static readonly string[] Fields = ["limitationDate", "validationNoticeSentAt", "validationPeriodEnd"];

    public static RouteHandlerBuilder Map(IEndpointRouteBuilder api) =>
        api.MapPatch("/accounts/{id:long}", HandleAsync)
            .WithName(nameof(UpdateAccount))
            .WithSummary("Record an account's limitation date and validation notice (merge-patch style)")
            .WithTags("Accounts")
            .Accepts<Request>("application/json", "application/merge-patch+json")
            .RequireAuthorization(Policies.Agent);

    internal static async Task<Results<Ok<AccountApi.Response>, ValidationProblem, ProblemHttpResult>> HandleAsync(
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
            errors[property.Name] = [property.Name == "status"
                ? "An account's status follows its payments, arrangements and disputes; it is not set directly."
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

        var account = await db.Accounts.Include(a => a.Creditor).Include(a => a.Debtor).SingleOrDefaultAsync(a => a.Id == id, cancellationToken);
        if (account is null)
        {
            return ApiProblems.NotFound("account", id);
        }

        bool Has(string field) => body.TryGetProperty(field, out _);
        if (Has("limitationDate"))
        {
            account.LimitationDate = request.LimitationDate is { } limitation ? LocalDate.FromDateOnly(limitation) : null;
        }

        if (Has("validationNoticeSentAt"))
        {
            var sent = request.ValidationNoticeSentAt is { } at ? Instant.FromDateTimeOffset(at) : (Instant?)null;
            if (sent > now)
            {
                errors["validationNoticeSentAt"] = ["Record the validation notice once it has been sent, not before."];
            }

            account.ValidationNoticeSentAt = sent;
        }

        if (Has("validationPeriodEnd"))
        {
            account.ValidationPeriodEnd = request.ValidationPeriodEnd is { } end ? LocalDate.FromDateOnly(end) : null;
        }

        // The pair is checked as it will be saved, naming the field this request changed.
        var pairField = Has("validationPeriodEnd") ? "validationPeriodEnd" : "validationNoticeSentAt";
        if (account.ValidationPeriodEnd is { } periodEnd && !errors.ContainsKey(pairField))
        {
            var zone = zones.GetZoneOrNull(account.Creditor.TimeZone) ?? DateTimeZone.Utc;
            if (account.ValidationNoticeSentAt is not { } sentAt)
            {
                errors[pairField] = ["A validation period end belongs to a validation notice; give validationNoticeSentAt with it."];
            }
            else if (periodEnd < sentAt.InZone(zone).Date)
            {
                errors[pairField] = [$"The validation period cannot end before the notice was sent ({LocalDatePattern.Iso.Format(sentAt.InZone(zone).Date)} in {zone.Id})."];
            }
            else if (IsRegulationF(account)
                && await CreditorUsPackAsync(db, account.CreditorId, cancellationToken) is var pack
                && RegulationF.ValidationPeriodEnd(sentAt.InZone(zone).Date, pack) is var earliest && periodEnd < earliest)
            {
                // A date printed earlier than the rule's would cut short the consumer's time to dispute.
                errors[pairField] = [$"Under Regulation F the validation period ends no earlier than {LocalDatePattern.Iso.Format(earliest)}: {pack.ValidationPeriodDays} days "
                    + $"after the notice is assumed received, {pack.ReceiptBusinessDays} business days after it was sent on {LocalDatePattern.Iso.Format(sentAt.InZone(zone).Date)} "
                    + "(12 CFR 1006.34(b)(5))."];
            }
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        account.UpdatedAt = now;
        var actor = Actor.Of(user);
        AuditLog.Add(db, actor, AuditLog.Actions.AccountUpdate, $"account:{id}", now,
            detail: string.Join(", ", body.EnumerateObject().Select(p => $"{p.Name}={(p.Value.ValueKind == JsonValueKind.Null ? "null" : p.Value.ToString())}")));
        await db.SaveChangesAsync(cancellationToken);

        var view = await AccountQueries.GetAsync(db, id, now, zones, cancellationToken);
        await AuditLog.RecordReadAsync(db, user, AuditLog.Actions.DebtorRead, $"debtor:{view!.Debtor.Id}", now, cancellationToken);
        return TypedResults.Ok(AccountApi.Response.From(view));
    }

    /// <summary>The US pack as this creditor reads it (its policy's packReading decides, for one, how observed holidays count).</summary>
    private static async Task<UsFdcpaPack> CreditorUsPackAsync(DunwellDb db, long creditorId, CancellationToken cancellationToken)
    {
        var policy = await CreditorPolicies.PolicyStore.CurrentAsync(db, creditorId, cancellationToken);
        return Compliance.ContactQuestion.PacksOf(creditorId, policy.Policy, policy.Version).Us;
    }

    /// <summary>A consumer debt collected under the US pack, whose validation notice Regulation F governs.</summary>
    private static bool IsRegulationF(Account account) =>
        account.Kind == AccountKind.Consumer
        && Compliance.ContactQuestion.PackFor(account.Creditor.JurisdictionPack, account.Kind, account.Debtor.Country) == RulePacks.UsFdcpaId;
}
