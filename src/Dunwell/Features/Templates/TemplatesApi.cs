using System.Security.Claims;
using Dunwell.Data;
using Dunwell.Domain.Accounts;
using Dunwell.Features.Messages;
using Dunwell.Web;
using Dunwell.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Dunwell.Features.Templates;

/// <summary>
/// /api/v1/templates: every role reads templates and their versions; supervisors save a creditor's own wording and
/// admins the default set; a preview renders a draft against an account with the linter's findings.
/// </summary>
public static class TemplatesApi
{
    public sealed record TemplateWire(
        long Id, string? Creditor, string Purpose, TemplateChannel Channel, string Language, AccountKind Variant, int Version, string? Subject, string Body,
        string? Html, string SavedBy, DateTimeOffset SavedAt);

    public sealed record DraftWire(string? Creditor, string Purpose, TemplateChannel Channel, string Language, AccountKind Variant, string? Subject, string Body, string? Html);

    public sealed record PreviewRequest(long AccountId, DraftWire Template);

    public sealed record FindingWire(string Severity, string Rule, int Start, int Length, string Explanation, string? Suggestion);

    public sealed record PreviewResponse(string? Subject, string Text, string? Html, string Verdict, IReadOnlyList<FindingWire> Findings);

    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/templates", ListAsync).WithName("ListTemplates").WithSummary("The newest version of every template the caller can see")
            .WithTags("Templates").RequireAuthorization(Policies.Read);
        api.MapGet("/templates/versions/{id:long}", GetAsync).WithName("GetTemplateVersion").WithSummary("One saved template version")
            .WithTags("Templates").RequireAuthorization(Policies.Read);
        api.MapGet("/templates/history", HistoryAsync).WithName("GetTemplateHistory")
            .WithSummary("Every version of one template, newest first (creditor omitted for the default set)")
            .WithTags("Templates").RequireAuthorization(Policies.Read);
        api.MapPost("/templates", SaveAsync).WithName("SaveTemplate")
            .WithSummary("Save a new version of a template (supervisors for a creditor's own, admins for the default set)")
            .WithTags("Templates").RequireAuthorization(Policies.Supervisor);
        api.MapPost("/templates/preview", PreviewAsync).WithName("PreviewTemplate")
            .WithSummary("Render a draft template against an account, with the linter's findings")
            .WithTags("Templates").RequireAuthorization(Policies.Read);
    }

    internal static async Task<Ok<IReadOnlyList<TemplateWire>>> ListAsync(DunwellDb db, CancellationToken cancellationToken)
    {
        var latest = await TemplateStore.LatestAsync(db, cancellationToken);
        var creditors = await CreditorReferencesAsync(db, cancellationToken);
        return TypedResults.Ok<IReadOnlyList<TemplateWire>>([.. latest.Select(t => Wire(t, creditors))]);
    }

    internal static async Task<Results<Ok<TemplateWire>, ProblemHttpResult>> GetAsync(long id, DunwellDb db, CancellationToken cancellationToken)
    {
        var template = await db.Templates.AsNoTracking().SingleOrDefaultAsync(t => t.Id == id, cancellationToken);
        return template is null ? ApiProblems.NotFound("template version", id) : TypedResults.Ok(Wire(template, await CreditorReferencesAsync(db, cancellationToken)));
    }

    internal static async Task<Results<Ok<IReadOnlyList<TemplateWire>>, ValidationProblem, ProblemHttpResult>> HistoryAsync(
        string purpose, TemplateChannel channel, string language, AccountKind variant, string? creditor, DunwellDb db, CancellationToken cancellationToken)
    {
        long? creditorId = null;
        if (creditor is not null)
        {
            creditorId = await db.Creditors.Where(c => c.Reference == creditor).Select(c => (long?)c.Id).SingleOrDefaultAsync(cancellationToken);
            if (creditorId is null)
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"No creditor with reference '{creditor}'.");
            }
        }

        var history = await TemplateStore.HistoryAsync(db, creditorId, purpose, channel, language, variant, cancellationToken);
        var references = await CreditorReferencesAsync(db, cancellationToken);
        return TypedResults.Ok<IReadOnlyList<TemplateWire>>([.. history.Select(t => Wire(t, references))]);
    }

    internal static async Task<Results<Created<TemplateWire>, ValidationProblem, ProblemHttpResult>> SaveAsync(
        DraftWire body, DunwellDb db, TimeProvider clock, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (body.Creditor is null && !user.IsInRole(Roles.Admin))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden",
                detail: "Only an admin may change the default set; name your creditor to save its own wording.");
        }

        var (saved, problems) = await SaveTemplate.SaveAsync(db, Draft(body), Actor.Of(user), clock.Now(), cancellationToken);
        if (saved is null)
        {
            return problems.ContainsKey("creditor") && problems.Count == 1
                ? TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: problems["creditor"][0])
                : TypedResults.ValidationProblem(problems);
        }

        return TypedResults.Created($"/api/v1/templates/versions/{saved.Id}", Wire(saved, await CreditorReferencesAsync(db, cancellationToken)));
    }

    internal static async Task<Results<Ok<PreviewResponse>, ValidationProblem, ProblemHttpResult>> PreviewAsync(
        PreviewRequest body, DunwellDb db, TimeProvider clock, IDateTimeZoneProvider zones, CancellationToken cancellationToken)
    {
        if (!await db.Accounts.AnyAsync(a => a.Id == body.AccountId, cancellationToken))
        {
            return ApiProblems.NotFound("account", body.AccountId);
        }

        var (_, _, identity) = await SaveTemplate.ResolveAsync(db, Draft(body.Template), cancellationToken);
        if (identity.Count > 0)
        {
            return TypedResults.ValidationProblem(identity);
        }

        var preview = await SaveTemplate.PreviewAsync(db, Draft(body.Template), body.AccountId, clock.Now(), zones, cancellationToken);
        return preview.Rendered is not { } r ? TypedResults.ValidationProblem(preview.Problems) : TypedResults.Ok(Wire(r));
    }

    public static PreviewResponse Wire(RenderedMessage r) => new(r.Subject, r.Text, r.Html, r.Lint.Verdict,
        [.. r.Lint.Findings.Select(f => new FindingWire(f.Severity.ToString().ToLowerInvariant(), f.Rule, f.Start, f.Length, f.Explanation, f.Suggestion))]);

    private static TemplateDraft Draft(DraftWire w) => new(w.Creditor, w.Purpose, w.Channel, w.Language, w.Variant, w.Subject, w.Body ?? "", w.Html);

    private static Task<Dictionary<long, string>> CreditorReferencesAsync(DunwellDb db, CancellationToken cancellationToken) =>
        db.Creditors.AsNoTracking().ToDictionaryAsync(c => c.Id, c => c.Reference, cancellationToken);

    private static TemplateWire Wire(TemplateVersion t, Dictionary<long, string> creditors) => new(
        t.Id, t.CreditorId is { } id ? creditors.GetValueOrDefault(id) : null, t.Purpose, t.Channel, t.Language, t.Variant, t.Version, t.Subject, t.Body, t.Html,
        t.SavedBy, t.SavedAt.ToDateTimeOffset());
}
