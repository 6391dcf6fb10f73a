using System.Security.Claims;
using System.Text.Json;
using Dunwell.Data;
using Dunwell.Domain.Arrangements;
using Dunwell.Domain.Compliance;
using Dunwell.Web;
using Dunwell.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Dunwell.Features.CreditorPolicies;

/// <summary>
/// GET /api/v1/creditors/{reference}/policy (any role) and PUT the same (admin): a creditor's policy as data. A PUT adds
/// a version; earlier versions stay, so a past decision is explained by the policy it was made under.
/// </summary>
public static class PolicyApi
{
    public sealed record Response(string Creditor, int Version, DateTimeOffset? Since, string? By, CreditorPolicy Policy);

    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/creditors/{reference}/policy", GetAsync)
            .WithName("GetCreditorPolicy").WithSummary("The creditor's policy in force (version 0 is the built-in default)")
            .WithTags("Policy").RequireAuthorization(Policies.Read);
        api.MapPut("/creditors/{reference}/policy", PutAsync)
            .WithName("PutCreditorPolicy").WithSummary("Save a new version of the creditor's policy")
            .WithTags("Policy").RequireAuthorization(Policies.Admin);
    }

    internal static async Task<Results<Ok<Response>, ProblemHttpResult>> GetAsync(string reference, DunwellDb db, CancellationToken cancellationToken)
    {
        var creditorId = await db.Creditors.Where(c => c.Reference == reference).Select(c => (long?)c.Id).SingleOrDefaultAsync(cancellationToken);
        if (creditorId is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"No creditor with reference '{reference}'.");
        }

        var current = await PolicyStore.CurrentAsync(db, creditorId.Value, cancellationToken);
        var saved = current.VersionId is { } id ? await db.PolicyVersions.AsNoTracking().SingleAsync(v => v.Id == id, cancellationToken) : null;
        return TypedResults.Ok(new Response(reference, current.Version, saved?.CreatedAt.ToDateTimeOffset(), saved?.CreatedBy, current.Policy));
    }

    internal static async Task<Results<Ok<Response>, ValidationProblem, ProblemHttpResult>> PutAsync(
        string reference, HttpRequest request, DunwellDb db, TimeProvider clock, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(request.Body);
        return await SaveAsync(reference, await reader.ReadToEndAsync(cancellationToken), db, clock, user, cancellationToken);
    }

    /// <summary>Reads, validates and saves a policy as a new version; the API and the admin page both save through here.</summary>
    public static async Task<Results<Ok<Response>, ValidationProblem, ProblemHttpResult>> SaveAsync(
        string reference, string json, DunwellDb db, TimeProvider clock, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var creditor = await db.Creditors.Where(c => c.Reference == reference).Select(c => new { c.Id, c.JurisdictionPack }).SingleOrDefaultAsync(cancellationToken);
        if (creditor is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"No creditor with reference '{reference}'.");
        }

        CreditorPolicy? policy;
        try
        {
            policy = string.IsNullOrWhiteSpace(json) ? null : JsonSerializer.Deserialize<CreditorPolicy>(json, PolicyStore.Json);
        }
        catch (JsonException e)
        {
            return ApiProblems.Invalid(ApiProblems.FieldOf(e.Path), ApiProblems.MessageFor(e, typeof(CreditorPolicy)));
        }
        catch (NotSupportedException e)
        {
            return ApiProblems.Invalid("policy", "This policy cannot be read: " + e.Message.Split('.')[0] + ".");
        }

        if (policy is null)
        {
            return ApiProblems.Invalid("policy", "Send the whole policy as JSON.");
        }

        var errors = policy.Validate();
        if (policy.ContactPolicy is { } firm)
        {
            // Checked against the consumer pack of the creditor's jurisdiction: the one with the most to tighten.
            var pack = RulePacks.Default.Select(creditor.JurisdictionPack, [Domain.Accounts.AccountKind.Consumer]);
            foreach (var group in firm.Problems(pack).GroupBy(p => p.Field))
            {
                errors[$"contactPolicy.{group.Key}"] = [.. group.Select(p => p.Message)];
            }
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var now = clock.Now();
        var version = await PolicyStore.SaveAsync(db, creditor.Id, policy, Actor.Of(user), now, cancellationToken);
        AuditLog.Add(db, user, "policy.update", $"creditor:{reference}", now, $"version {version.Version}");
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(new Response(reference, version.Version, now.ToDateTimeOffset(), version.CreatedBy, policy));
    }
}
