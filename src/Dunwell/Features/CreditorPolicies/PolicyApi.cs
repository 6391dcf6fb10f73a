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
/// a version; earlier versions stay, so a past decision is explained by the policy it was made under, and any role may
/// read them: GET .../policy/versions lists them and GET .../policy/versions/{version} returns one as it was saved.
/// </summary>
public static class PolicyApi
{
    public sealed record Response(string Creditor, int Version, DateTimeOffset? Since, string? By, CreditorPolicy Policy);

    public sealed record VersionLine(int Version, DateTimeOffset SavedAt, string SavedBy);

    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/creditors/{reference}/policy", GetAsync)
            .WithName("GetCreditorPolicy").WithSummary("The creditor's policy in force (version 0 is the built-in default)")
            .WithTags("Policy").RequireAuthorization(Policies.Read);
        api.MapPut("/creditors/{reference}/policy", PutAsync)
            .WithName("PutCreditorPolicy").WithSummary("Save a new version of the creditor's policy")
            .Accepts<CreditorPolicy>("application/json") // read by hand, so a bad field is named; the body is the whole policy
            .WithTags("Policy").RequireAuthorization(Policies.Admin);
        api.MapGet("/creditors/{reference}/policy/versions", ListVersionsAsync)
            .WithName("ListCreditorPolicyVersions").WithSummary("Every saved version of the creditor's policy, oldest first (the last is in force)")
            .WithTags("Policy").RequireAuthorization(Policies.Read);
        api.MapGet("/creditors/{reference}/policy/versions/{version:int}", GetVersionAsync)
            .WithName("GetCreditorPolicyVersion").WithSummary("One saved version of the creditor's policy, as it was saved")
            .WithTags("Policy").RequireAuthorization(Policies.Read);
    }

    internal static async Task<Results<Ok<IReadOnlyList<VersionLine>>, ProblemHttpResult>> ListVersionsAsync(string reference, DunwellDb db, CancellationToken cancellationToken)
    {
        if (await CreditorIdAsync(db, reference, cancellationToken) is not { } creditorId)
        {
            return NoCreditor(reference);
        }

        var history = await PolicyStore.HistoryAsync(db, creditorId, cancellationToken);
        return TypedResults.Ok<IReadOnlyList<VersionLine>>([.. history.Select(v => new VersionLine(v.Version, v.SavedAt.ToDateTimeOffset(), v.SavedBy))]);
    }

    internal static async Task<Results<Ok<Response>, ProblemHttpResult>> GetVersionAsync(string reference, int version, DunwellDb db, CancellationToken cancellationToken)
    {
        if (await CreditorIdAsync(db, reference, cancellationToken) is not { } creditorId)
        {
            return NoCreditor(reference);
        }

        if (await PolicyStore.NumberedAsync(db, creditorId, version, cancellationToken) is not { } saved)
        {
            var detail = version == 0
                ? $"Version 0 is the built-in default, which is never saved; GET /api/v1/creditors/{reference}/policy shows it while no version is saved."
                : $"Creditor '{reference}' has no policy version {version}; GET /api/v1/creditors/{reference}/policy/versions lists them.";
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: detail);
        }

        return TypedResults.Ok(new Response(reference, saved.Saved.Version, saved.Saved.SavedAt.ToDateTimeOffset(), saved.Saved.SavedBy, saved.Policy));
    }

    private static Task<long?> CreditorIdAsync(DunwellDb db, string reference, CancellationToken cancellationToken) =>
        db.Creditors.Where(c => c.Reference == reference).Select(c => (long?)c.Id).SingleOrDefaultAsync(cancellationToken);

    private static ProblemHttpResult NoCreditor(string reference) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"No creditor with reference '{reference}'.");

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
            policy = string.IsNullOrWhiteSpace(json) ? null : JsonSerializer.Deserialize<CreditorPolicy>(json, PolicyStore.InputJson);
        }
        catch (JsonException e)
        {
            return ApiProblems.Invalid(ApiProblems.FieldOf(e), ApiProblems.MessageFor(e, typeof(CreditorPolicy)));
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
