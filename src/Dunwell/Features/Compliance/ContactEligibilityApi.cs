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
using NodaTime;

namespace Dunwell.Features.Compliance;

public sealed record ReasonWire(string Rule, string Citation, string Message);

public sealed record ObligationWire(string Rule, string Citation, string Kind, string Message);

/// <summary>One rule refusing the contact, and from when it would let it through.</summary>
/// <param name="Rule">The rule's stable id, as in <c>reasons</c>.</param>
/// <param name="Citation">The law or policy it comes from.</param>
/// <param name="Message">Why it refuses, in words, as it refused at <c>foundAt</c>.</param>
/// <param name="RefusesNow">Whether it refuses at the asked instant (it is then also in <c>reasons</c>); false for the rule that sets the next allowed time when it only refuses later, on the way there.</param>
/// <param name="FoundAt">The instant it was found refusing: the asked one, or a later one the search for the next allowed time reached.</param>
/// <param name="AllowsFrom">The earliest instant from which this rule alone would allow the contact; null when it never would on what is known.</param>
/// <param name="NeverBecause">When <c>allowsFrom</c> is null: what would end the refusal.</param>
/// <param name="Decisive">Whether this rule sets <c>nextAllowedAt</c> (or, when that is null, keeps the contact refused for good).</param>
public sealed record RefusalWire(string Rule, string Citation, string Message, bool RefusesNow, DateTimeOffset FoundAt, DateTimeOffset? AllowsFrom, string? NeverBecause, bool Decisive);

/// <summary>An instant as the debtor's clock shows it in one zone they may be in.</summary>
/// <param name="Zone">The IANA zone.</param>
/// <param name="Abbreviation">The zone's abbreviation at that instant (EST, EDT, GMT, BST), or its UTC offset where it has none.</param>
/// <param name="Local">The local date and time with the zone's offset at that instant.</param>
public sealed record LocalTimeWire(string Zone, string Abbreviation, DateTimeOffset Local)
{
    public static IReadOnlyList<LocalTimeWire> In(Instant? instant, IEnumerable<string> zones) => instant is { } at
        ? [.. zones.Select(DateTimeZoneProviders.Tzdb.GetZoneOrNull).OfType<DateTimeZone>().Select(z => new LocalTimeWire(z.Id, z.GetZoneInterval(at).Name, at.InZone(z).ToDateTimeOffset()))]
        : [];
}

/// <summary>The engine's answer on the wire: allowed or not, every reason, when it becomes allowed, what an allowed contact must respect.</summary>
/// <param name="Allowed">Whether the contact may be made at the asked instant.</param>
/// <param name="Reasons">Every rule refusing at the asked instant; empty when allowed.</param>
/// <param name="NextAllowedAt">When refused: the earliest instant the contact becomes allowed, or null when none is known.</param>
/// <param name="NoNextAllowedBecause">When refused and <c>nextAllowedAt</c> is null: why.</param>
/// <param name="Obligations">What an allowed contact must include, avoid or route.</param>
/// <param name="Pack">The rule pack that decided.</param>
/// <param name="PackVersion">Its version, with the creditor's reading when it has one.</param>
/// <param name="Zones">The IANA zones the debtor may be in, which the time rules used.</param>
/// <param name="Refusals">Every refusing rule with the instant it would allow from, and which sets <c>nextAllowedAt</c>; includes that rule when it only refuses later.</param>
/// <param name="NextAllowedAtSetBy">The rule ids of the decisive refusals: what sets <c>nextAllowedAt</c>, or keeps it null.</param>
/// <param name="NextAllowedAtLocal"><c>nextAllowedAt</c> on the debtor's clock in each zone they may be in; empty when there is none.</param>
/// <param name="AskedAtLocal">The asked instant on the debtor's clock in each zone they may be in.</param>
public sealed record EligibilityResponse(
    bool Allowed,
    IReadOnlyList<ReasonWire> Reasons,
    DateTimeOffset? NextAllowedAt,
    string? NoNextAllowedBecause,
    IReadOnlyList<ObligationWire> Obligations,
    string Pack,
    string PackVersion,
    IReadOnlyList<string> Zones,
    IReadOnlyList<RefusalWire> Refusals,
    IReadOnlyList<string> NextAllowedAtSetBy,
    IReadOnlyList<LocalTimeWire> NextAllowedAtLocal,
    IReadOnlyList<LocalTimeWire> AskedAtLocal)
{
    public static EligibilityResponse From(ContactDecision d, Instant asked) => new(
        d.Allowed,
        [.. d.Reasons.Select(r => new ReasonWire(r.RuleId, r.Citation, r.Message))],
        d.NextAllowedAt?.ToDateTimeOffset(),
        d.NoNextAllowedBecause,
        [.. d.Obligations.Select(o => new ObligationWire(o.RuleId, o.Citation, o.Kind.ToString().ToLowerInvariant(), o.Message))],
        d.PackId,
        d.PackVersion,
        d.Zones,
        [.. d.Refusals.Select(r => new RefusalWire(r.Reason.RuleId, r.Reason.Citation, r.Reason.Message, r.RefusesNow, r.At.ToDateTimeOffset(), r.AllowsFrom?.ToDateTimeOffset(), r.NeverBecause, r.Decisive))],
        d.DecidingRules,
        LocalTimeWire.In(d.NextAllowedAt, d.Zones),
        LocalTimeWire.In(asked, d.Zones));

    /// <summary>
    /// The reasons in one paragraph, for notes, tasks and held messages: every refusal, and the next allowed time on the
    /// debtor's clock with the rule that sets it.
    /// </summary>
    public static string Explain(ContactDecision d) =>
        string.Join(" ", d.Reasons.Select(r => $"{r.Message} ({r.Citation})"))
        + (d.NextAllowedAt is { } next
            ? $" Allowed again from {DebtorTime.Of(next, d.Zones)}{DebtorTime.SetBy(d)}."
            : d.NoNextAllowedBecause is { } why ? $" {why}" : "");
}

/// <summary>
/// GET /api/v1/accounts/{id}/contact-eligibility?channel=call|email|sms|letter&amp;to=…&amp;at=ISO-8601&amp;purpose=…&amp;automated=true|false:
/// may this contact be made at that instant (now when omitted), under the creditor's rule pack and firm policy; if not,
/// every rule that refuses it, in words with its citation, and the next instant it becomes allowed, with the rule that
/// sets it and that instant on the debtor's clock. <c>automated</c> (false unless given) asks about a dialler, a
/// recorded voice or a system-sent message rather than a person.
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

        if (errors.Count == 0 && await WrongKindAsync(db, id, medium, to, cancellationToken) is { } wrongKind)
        {
            errors["to"] = [wrongKind];
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
        return TypedResults.Ok(EligibilityResponse.From(question.Automated(isAutomated).Decide(), instant));
    }

    /// <summary>Why <paramref name="to"/> (a contact id of the account's debtor) cannot take <paramref name="medium"/>, or null when it can or is not an id.</summary>
    internal static async Task<string?> WrongKindAsync(DunwellDb db, long accountId, ContactChannel medium, string? to, CancellationToken cancellationToken) =>
        to is { Length: > 0 } && long.TryParse(to, NumberStyles.None, CultureInfo.InvariantCulture, out var contactId)
            && await db.Set<DebtorContact>().Where(c => c.Id == contactId && db.Accounts.Any(a => a.Id == accountId && a.DebtorId == c.DebtorId))
                .Select(c => (ContactKind?)c.Kind).SingleOrDefaultAsync(cancellationToken) is { } kind
            && ContactQuestion.KindFor(medium) != kind
            ? $"Contact {contactId} is {Interactions.RecordInteraction.Article(kind)}; {medium.ToString().ToLowerInvariant()} goes to {Interactions.RecordInteraction.Article(ContactQuestion.KindFor(medium))}."
            : null;
}
