using System.Globalization;
using System.Security.Claims;
using Dunwell.Data;
using Dunwell.Domain.Accounts;
using Dunwell.Domain.Compliance;
using Dunwell.Domain.Inputs;
using Dunwell.Web;
using Dunwell.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using NodaTime.Text;

namespace Dunwell.Features.Compliance;

public sealed record ReasonWire(string Rule, string Citation, string Message);

public sealed record ObligationWire(string Rule, string Citation, string Kind, string Message);

/// <summary>The engine's answer on the wire: allowed or not, every reason, when it becomes allowed, what an allowed contact must respect.</summary>
public sealed record EligibilityResponse(
    bool Allowed,
    IReadOnlyList<ReasonWire> Reasons,
    DateTimeOffset? NextAllowedAt,
    string? NoNextAllowedBecause,
    IReadOnlyList<ObligationWire> Obligations,
    string Pack,
    string PackVersion,
    IReadOnlyList<string> Zones)
{
    public static EligibilityResponse From(ContactDecision d) => new(
        d.Allowed,
        [.. d.Reasons.Select(r => new ReasonWire(r.RuleId, r.Citation, r.Message))],
        d.NextAllowedAt?.ToDateTimeOffset(),
        d.NoNextAllowedBecause,
        [.. d.Obligations.Select(o => new ObligationWire(o.RuleId, o.Citation, o.Kind.ToString().ToLowerInvariant(), o.Message))],
        d.PackId,
        d.PackVersion,
        d.Zones);

    /// <summary>The reasons in one paragraph, for notes, tasks and held messages.</summary>
    public static string Explain(ContactDecision d) =>
        string.Join(" ", d.Reasons.Select(r => $"{r.Message} ({r.Citation})"))
        + (d.NextAllowedAt is { } next ? $" Allowed again from {InstantPattern.General.Format(next)}." : d.NoNextAllowedBecause is { } why ? $" {why}" : "");
}

/// <summary>
/// GET /api/v1/accounts/{id}/contact-eligibility?channel=call|email|sms|letter&amp;to=…&amp;at=ISO-8601&amp;purpose=…&amp;automated=true|false:
/// may this contact be made at that instant (now when omitted), under the creditor's rule pack and firm policy; if not,
/// every rule that refuses it, in words with its citation, and the next instant it becomes allowed. <c>automated</c>
/// (false unless given) asks about a dialler, a recorded voice or a system-sent message rather than a person.
/// </summary>
public static class ContactEligibilityApi
{
    public static RouteHandlerBuilder Map(IEndpointRouteBuilder api) =>
        api.MapGet("/accounts/{id:long}/contact-eligibility", HandleAsync)
            .WithName("ContactEligibility")
            .WithSummary("Whether a call, email, text or letter about the account is allowed at an instant, why not, and when it will be")
            .WithTags("Compliance")
            .RequireAuthorization(Policies.Read);

    internal static async Task<Results<Ok<EligibilityResponse>, ValidationProblem, ProblemHttpResult>> HandleAsync(
        long id, string? channel, string? to, string? at, string? purpose, string? automated, DunwellDb db, TimeProvider clock, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (!Enum.TryParse<ContactChannel>(channel, ignoreCase: true, out var medium) || int.TryParse(channel, out _))
        {
            errors["channel"] = ["Say which channel: call, email, sms or letter."];
        }

        var instant = clock.Now();
        if (at is not null)
        {
            if (Plausible.TryParseInstant(at, out var parsed, out var error))
            {
                instant = parsed.ToInstant();
            }
            else
            {
                errors["at"] = [$"'{JsonInput.Shown(at)}' {error}."];
            }
        }

        var why = ContactPurpose.Collection;
        if (purpose is not null && (!Enum.TryParse(purpose, ignoreCase: true, out why) || int.TryParse(purpose, out _)))
        {
            errors["purpose"] = [$"Say why: {string.Join(", ", Enum.GetNames<ContactPurpose>().Select(n => char.ToLowerInvariant(n[0]) + n[1..]))}."];
        }

        var isAutomated = false;
        if (automated is not null && !bool.TryParse(automated, out isAutomated))
        {
            errors["automated"] = [$"'{automated}' is not true or false."];
        }

        if (errors.Count == 0 && to is { Length: > 0 } && long.TryParse(to, NumberStyles.None, CultureInfo.InvariantCulture, out var contactId)
            && await db.Set<DebtorContact>().Where(c => c.Id == contactId && db.Accounts.Any(a => a.Id == id && a.DebtorId == c.DebtorId))
                .Select(c => (ContactKind?)c.Kind).SingleOrDefaultAsync(cancellationToken) is { } kind
            && ContactQuestion.KindFor(medium) != kind)
        {
            errors["to"] = [$"Contact {contactId} is {Interactions.RecordInteraction.Article(kind)}; {medium.ToString().ToLowerInvariant()} goes to {Interactions.RecordInteraction.Article(ContactQuestion.KindFor(medium))}."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var question = await ContactQuestion.LoadAsync(db, id, medium, to, why, instant, null, cancellationToken);
        if (question is null)
        {
            return ApiProblems.NotFound("account", id);
        }

        // The answer rests on the debtor's personal facts (where they are, what they asked), so reading it is audited.
        var debtorId = await db.Accounts.Where(a => a.Id == id).Select(a => a.DebtorId).SingleAsync(cancellationToken);
        await AuditLog.RecordReadAsync(db, user, "contact-eligibility.read", $"debtor:{debtorId}", clock.Now(), cancellationToken);
        return TypedResults.Ok(EligibilityResponse.From(question.Automated(isAutomated).Decide()));
    }
}
