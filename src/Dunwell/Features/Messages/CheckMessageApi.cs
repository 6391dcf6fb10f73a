using System.Security.Claims;
using Dunwell.Data;
using Dunwell.Domain.Accounts;
using Dunwell.Domain.Compliance;
using Dunwell.Domain.Inputs;
using Dunwell.Domain.Messages;
using Dunwell.Features.Compliance;
using Dunwell.Web;
using Dunwell.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Dunwell.Features.Messages;

/// <summary>Where a finding is in the text: a character offset and a length (zero for something missing).</summary>
public sealed record SpanWire(int Start, int Length);

/// <summary>One finding of the linter.</summary>
/// <param name="Severity">block (stops the send), warn or info.</param>
/// <param name="Rule">The rule's stable id (docs/linter.md lists them).</param>
/// <param name="Span">Where in the text.</param>
/// <param name="Explanation">Why it matters, in plain words.</param>
/// <param name="Suggestion">A kinder or lawful wording, in the text's language.</param>
public sealed record FindingWire(string Severity, string Rule, SpanWire Span, string Explanation, string? Suggestion);

/// <summary>The context the text was checked in: given, or read from the account and its creditor's policy.</summary>
public sealed record LintContextWire(
    string Channel, string Language, string AccountKind, IReadOnlyList<string> EnabledConsequences, bool TimeBarred, string Pack, string Purpose,
    bool InValidationPeriod, IReadOnlyList<string> Required);

/// <summary>The linter's answer, and when asked with an account, a recipient and an instant, the compliance engine's.</summary>
/// <param name="Verdict">block, warn or pass.</param>
/// <param name="Findings">Every finding, in text order.</param>
/// <param name="Context">The context the text was checked in.</param>
/// <param name="Decision">May this be sent to <c>to</c> at <c>at</c>: the same answer as GET contact-eligibility; null unless asked.</param>
public sealed record CheckMessageResponse(string Verdict, IReadOnlyList<FindingWire> Findings, LintContextWire Context, EligibilityResponse? Decision);

/// <summary>
/// POST /api/v1/messages/check: lints a text before it goes out (DESIGN §5.3). With <c>accountId</c> the context comes
/// from the account and its creditor's policy (an account outside the caller's creditors is not found); without it,
/// from the explicit fields, to check a template with no account. With <c>accountId</c>, <c>to</c> and <c>at</c> the
/// answer also says whether the compliance engine allows sending it then.
/// </summary>
public static class CheckMessageApi
{
    public const int MaxText = 50_000;

    /// <summary>
    /// <c>text</c>; <c>channel</c>: email, sms, letter, call or voicemail; <c>language</c>: en, es or de (default en);
    /// either <c>accountId</c> or an explicit context: <c>accountKind</c> (consumer | commercial), <c>enabledConsequences</c>
    /// (agency, legal, creditReporting, serviceSuspension, repossession), <c>timeBarred</c>, <c>pack</c> (US-FDCPA, UK-FCA,
    /// B2B; default US-FDCPA for consumer, B2B for commercial) and <c>inValidationPeriod</c>; <c>purpose</c> (collection,
    /// validationNotice…); <c>requiredContent</c> false to skip the pack's required-content checks (a template before
    /// the pack adds its blocks); <c>to</c> (contact id or value), <c>at</c> (ISO-8601) and <c>automated</c> for the decision.
    /// </summary>
    public sealed record Request(
        string? Text, string? Channel, string? Language, long? AccountId, string? AccountKind, IReadOnlyList<string>? EnabledConsequences,
        bool? TimeBarred, string? Pack, string? Purpose, bool? InValidationPeriod, bool? RequiredContent, string? To, string? At, bool? Automated);

    public static RouteHandlerBuilder Map(IEndpointRouteBuilder api) =>
        api.MapPost("/messages/check", HandleAsync)
            .WithName("CheckMessage")
            .WithSummary("Lint a message: threats, empty threats, required content, tone; and whether it may be sent now")
            .WithTags("Messages")
            .RequireAuthorization(Policies.Read);

    internal static async Task<Results<Ok<CheckMessageResponse>, ValidationProblem, ProblemHttpResult>> HandleAsync(
        [FromBody] Request request, DunwellDb db, TimeProvider clock, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var (channel, language, purpose, instant) = Shape(request, clock.Now(), errors);
        var explicitGiven = request.AccountKind is not null || request.EnabledConsequences is not null || request.TimeBarred is not null
            || request.Pack is not null || request.InValidationPeriod is not null;
        if (request.AccountId is not null && explicitGiven)
        {
            errors["accountId"] = ["Give accountId or an explicit context (accountKind, enabledConsequences, timeBarred, pack), not both."];
        }

        if (request.AccountId is null && (request.To is not null || request.At is not null))
        {
            errors["to"] = ["A decision on sending needs the account: give accountId with to and at."];
        }

        var context = request.AccountId is null ? Explicit(request, channel, language, errors) : null;
        if (request.AccountId is { } id && errors.Count == 0 && request.To is not null
            && await ContactEligibilityApi.WrongKindAsync(db, id, ContactOf(channel), request.To, cancellationToken) is { } wrongKind)
        {
            errors["to"] = [wrongKind];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        EligibilityResponse? decision = null;
        if (request.AccountId is { } accountId)
        {
            context = await MessageChecks.ContextAsync(db, accountId, channel, language, instant, cancellationToken);
            if (context is null)
            {
                return ApiProblems.NotFound("account", accountId);
            }

            if (request.To is not null && request.At is not null)
            {
                var question = await ContactQuestion.LoadAsync(db, accountId, ContactOf(channel), request.To, purpose, instant, null, cancellationToken);
                decision = EligibilityResponse.From(question!.Automated(request.Automated ?? false).Decide(), instant);
                var debtorId = await db.Accounts.Where(a => a.Id == accountId).Select(a => a.DebtorId).SingleAsync(cancellationToken);
                await AuditLog.RecordReadAsync(db, user, "contact-eligibility.read", $"debtor:{debtorId}", clock.Now(), cancellationToken);
            }
        }

        context = context! with { Purpose = purpose };
        if (request.RequiredContent == false)
        {
            context = context with { Required = new HashSet<Requirement>() };
        }

        var result = MessageLinter.Check(request.Text!, context);
        return TypedResults.Ok(new CheckMessageResponse(result.Verdict, [.. result.Findings.Select(Wire)], Wire(context), decision));
    }

    private static (LintChannel Channel, string Language, ContactPurpose Purpose, Instant At) Shape(Request request, Instant now, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrEmpty(request.Text))
        {
            errors["text"] = ["Give the text to check."];
        }
        else if (request.Text.Length > MaxText)
        {
            errors["text"] = [$"A message is at most {MaxText} characters; this one has {request.Text.Length}."];
        }

        var channel = LintChannel.Email;
        if (request.Channel is null || !Enum.TryParse(request.Channel, ignoreCase: true, out channel) || int.TryParse(request.Channel, out _))
        {
            errors["channel"] = ["Say which channel: email, sms, letter, call or voicemail."];
        }

        var language = LintContext.LanguageOf(request.Language ?? "en");
        if (language is null)
        {
            errors["language"] = [$"'{JsonInput.Shown(request.Language!)}' is not a language the linter knows: {string.Join(", ", LintContext.Languages)}."];
        }

        var purpose = ContactPurpose.Collection;
        if (request.Purpose is not null && (!Enum.TryParse(request.Purpose, ignoreCase: true, out purpose) || int.TryParse(request.Purpose, out _)))
        {
            errors["purpose"] = [$"Say why: {string.Join(", ", Enum.GetNames<ContactPurpose>().Select(n => char.ToLowerInvariant(n[0]) + n[1..]))}."];
        }

        var at = now;
        if (request.At is not null)
        {
            if (Plausible.TryParseInstant(request.At, out var parsed, out var error))
            {
                at = parsed.ToInstant();
            }
            else
            {
                errors["at"] = [$"'{JsonInput.Shown(request.At)}' {error}."];
            }
        }

        return (channel, language ?? "en", purpose, at);
    }

    private static LintContext? Explicit(Request request, LintChannel channel, string language, Dictionary<string, string[]> errors)
    {
        var kind = AccountKind.Consumer;
        if (request.AccountKind is null || !Enum.TryParse(request.AccountKind, ignoreCase: true, out kind) || int.TryParse(request.AccountKind, out _))
        {
            errors["accountKind"] = ["Give accountId, or accountKind (consumer or commercial) for a check without an account."];
        }

        var enabled = new HashSet<Consequence>();
        foreach (var (name, i) in (request.EnabledConsequences ?? []).Select((n, i) => (n, i)))
        {
            if (name is null || !Enum.TryParse<Consequence>(name, ignoreCase: true, out var consequence) || int.TryParse(name, out _))
            {
                errors[$"enabledConsequences[{i}]"] = [$"'{JsonInput.Shown(name ?? "null")}' is not an escalation: agency, legal, creditReporting, serviceSuspension or repossession."];
                continue;
            }

            enabled.Add(consequence);
        }

        var pack = request.Pack ?? (kind == AccountKind.Commercial ? RulePacks.B2bId : RulePacks.UsFdcpaId);
        if (pack is not (RulePacks.UsFdcpaId or RulePacks.UkFcaId or RulePacks.B2bId))
        {
            errors["pack"] = [$"'{JsonInput.Shown(pack)}' is not a rule pack: {RulePacks.UsFdcpaId}, {RulePacks.UkFcaId} or {RulePacks.B2bId}."];
        }

        return errors.Count > 0 ? null : LintContext.For(channel, language, kind, enabled, request.TimeBarred ?? false, pack)
            with
        {
            InValidationPeriod = request.InValidationPeriod ?? false,
        };
    }

    private static ContactChannel ContactOf(LintChannel channel) => channel switch
    {
        LintChannel.Email => ContactChannel.Email,
        LintChannel.Sms => ContactChannel.Sms,
        LintChannel.Letter => ContactChannel.Letter,
        _ => ContactChannel.Call,
    };

    private static string Camel(string name) => char.ToLowerInvariant(name[0]) + name[1..];

    private static FindingWire Wire(LintFinding f) =>
        new(f.Severity.ToString().ToLowerInvariant(), f.Rule, new SpanWire(f.Start, f.Length), f.Explanation, f.Suggestion);

    private static LintContextWire Wire(LintContext c) => new(
        Camel(c.Channel.ToString()), c.Language, Camel(c.AccountKind.ToString()), [.. c.EnabledConsequences.Order().Select(e => Camel(e.ToString()))],
        c.TimeBarred, c.Pack, Camel(c.Purpose.ToString()), c.InValidationPeriod, [.. c.Required.Order().Select(r => Camel(r.ToString()))]);
}
