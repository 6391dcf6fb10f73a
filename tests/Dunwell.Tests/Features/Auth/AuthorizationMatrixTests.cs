using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.RegularExpressions;
using Dunwell.Domain.Accounts;
using Dunwell.Tests.Features.Pages;
using Dunwell.Tests.Features.Records;
using Dunwell.Tests.Support;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace Dunwell.Tests.Features.Auth;

/// <summary>
/// The authorization matrix (issue 9): every route the app serves, read from its endpoint data source, against every
/// role acting for the record's creditor, every role acting for another creditor, and no credential at all, each with
/// the exact status expected. A route added without an entry here fails, so nobody ships a route whose guard was never
/// thought about.
/// </summary>
public sealed partial class AuthorizationMatrixTests
{
    private static readonly Instant Now = Instant.FromUtc(2026, 3, 2, 16, 0);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>Who may call a route: the policy it names, read as roles.</summary>
    private enum Needs
    {
        Anyone,
        SignedIn,
        Read,
        Agent,
        Supervisor,
        Admin,

        /// <summary>What supervisors see, which auditors read too.</summary>
        SupervisorOrAuditor,

        /// <summary>Configuration and the audit trail: admins, and auditors reading.</summary>
        AdminOrAuditor,
    }

    /// <summary>Whether the route's policy lets the role in. Auditors only ever read: anything but a GET (or signing out) is refused.</summary>
    private static bool Permits(Needs needs, string role, string key) =>
        (role != Roles.Auditor || needs == Needs.Anyone || key.StartsWith("GET ", StringComparison.Ordinal) || key == "POST /signout") && needs switch
        {
            Needs.Anyone or Needs.SignedIn or Needs.Read => true,
            Needs.Agent => role != Roles.Auditor,
            Needs.Supervisor => role is Roles.Supervisor or Roles.Admin,
            Needs.Admin => role == Roles.Admin,
            Needs.SupervisorOrAuditor => role is Roles.Supervisor or Roles.Admin or Roles.Auditor,
            Needs.AdminOrAuditor => role is Roles.Admin or Roles.Auditor,
            _ => throw new ArgumentOutOfRangeException(nameof(needs), needs, null),
        };

    /// <summary>One role's own records at creditor ACME, so that one role's writes never disturb another's.</summary>
    private sealed record Target(
        string Role, long Debtor, long Account, long OtherAccount, long Payment, long Interaction, long Dispute, long PageDispute, long Flag, long Contact,
        long ToApprove, long ToReject, long ToDecideOnPage, string Token = "", System.Text.Json.Nodes.JsonNode? Policy = null, string UserId = "");

    /// <summary>
    /// A route's row: who it needs, the status a permitted caller acting for ACME gets, the status a permitted caller
    /// acting only for BETA gets (404 where the route names an ACME record: out of scope reads as missing), and the request.
    /// </summary>
    private sealed record Entry(Needs Needs, int InScope, int OutOfScope, Func<Target, HttpRequestMessage> Request);

    private static HttpRequestMessage Get(string url) => new(HttpMethod.Get, url);

    private static HttpRequestMessage Json(HttpMethod method, string url, object body, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(method, url) { Content = JsonContent.Create(body) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return request;
    }

    private static HttpRequestMessage Csv(string url, string csv) => new(HttpMethod.Post, url) { Content = new StringContent(csv, Encoding.UTF8, "text/csv") };

    private static HttpRequestMessage Form(string url, Target t, Dictionary<string, string> fields)
    {
        fields["__RequestVerificationToken"] = t.Token;
        return new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(fields) };
    }

    /// <summary>A Blazor page posted without naming a form: permitted callers get 400, so the guard is what is tested.</summary>
    private static HttpRequestMessage PagePost(string url, Target t) => Form(url, t, []);

    private static readonly Dictionary<string, Entry> Matrix = new()
    {
        // Public: signing in and the API description.
        ["GET /signin"] = new(Needs.Anyone, 200, 200, _ => Get("/signin")),
        ["POST /signin"] = new(Needs.Anyone, 400, 400, t => PagePost("/signin", t)),
        ["GET /openapi/{documentName}.json"] = new(Needs.Anyone, 200, 200, _ => Get("/openapi/v1.json")),

        // Any signed-in person.
        ["GET /denied"] = new(Needs.SignedIn, 403, 403, _ => Get("/denied")),
        ["POST /denied"] = new(Needs.SignedIn, 400, 400, t => PagePost("/denied", t)),
        ["POST /signout"] = new(Needs.SignedIn, 302, 302, t => Form("/signout", t, [])),

        // Pages.
        ["GET /"] = new(Needs.Read, 200, 200, _ => Get("/")),
        ["POST /"] = new(Needs.Read, 400, 400, t => PagePost("/", t)),
        ["GET /accounts"] = new(Needs.Read, 200, 200, _ => Get("/accounts?q=jane")),
        ["POST /accounts"] = new(Needs.Read, 400, 400, t => PagePost("/accounts", t)),
        ["GET /accounts/results"] = new(Needs.Read, 200, 200, _ => Get("/accounts/results?q=jane")),
        ["GET /accounts/{Id:long}"] = new(Needs.Read, 200, 404, t => Get($"/accounts/{t.Account}")),
        ["POST /accounts/{Id:long}"] = new(Needs.Read, 400, 400, t => PagePost($"/accounts/{t.Account}", t)),
        // Answers a form post; a visit goes back to the account page (which is not found out of scope).
        ["GET /accounts/{Id:long}/record"] = new(Needs.Read, 302, 302, t => Get($"/accounts/{t.Account}/record")),
        ["POST /accounts/{Id:long}/record"] = new(Needs.Read, 400, 400, t => PagePost($"/accounts/{t.Account}/record", t)),
        ["GET /approvals"] = new(Needs.SupervisorOrAuditor, 200, 200, _ => Get("/approvals")),
        ["POST /approvals"] = new(Needs.SupervisorOrAuditor, 400, 400, t => PagePost("/approvals", t)),
        ["GET /admin/creditors"] = new(Needs.Read, 200, 200, _ => Get("/admin/creditors")),
        ["POST /admin/creditors"] = new(Needs.Read, 400, 400, t => PagePost("/admin/creditors", t)),
        ["GET /admin/creditors/{Reference}"] = new(Needs.Read, 200, 404, _ => Get("/admin/creditors/ACME")),
        ["POST /admin/creditors/{Reference}"] = new(Needs.Read, 400, 400, t => PagePost("/admin/creditors/ACME", t)),
        ["GET /admin/policies"] = new(Needs.AdminOrAuditor, 200, 200, _ => Get("/admin/policies")),
        ["POST /admin/policies"] = new(Needs.AdminOrAuditor, 400, 400, t => PagePost("/admin/policies", t)),
        ["GET /admin/creditors/{Reference}/policy"] = new(Needs.AdminOrAuditor, 200, 404, _ => Get("/admin/creditors/ACME/policy")),
        ["POST /admin/creditors/{Reference}/policy"] = new(Needs.AdminOrAuditor, 400, 400, t => PagePost("/admin/creditors/ACME/policy", t)),
        ["GET /admin/creditors/{Reference}/policy/versions/{Version:int}"] = new(Needs.AdminOrAuditor, 200, 404, _ => Get("/admin/creditors/ACME/policy/versions/1")),
        ["POST /admin/creditors/{Reference}/policy/versions/{Version:int}"] = new(Needs.AdminOrAuditor, 400, 400, t => PagePost("/admin/creditors/ACME/policy/versions/1", t)),
        ["GET /admin/rates"] = new(Needs.AdminOrAuditor, 200, 200, _ => Get("/admin/rates")),
        ["POST /admin/rates"] = new(Needs.AdminOrAuditor, 400, 400, t => PagePost("/admin/rates", t)),
        // People and keys: shown to admins and auditors; only an admin acting for every creditor changes them.
        ["GET /admin/users"] = new(Needs.AdminOrAuditor, 200, 200, _ => Get("/admin/users")),
        ["POST /admin/users"] = new(Needs.AdminOrAuditor, 400, 400, t => PagePost("/admin/users", t)),
        ["GET /admin/users/{Id}"] = new(Needs.AdminOrAuditor, 200, 200, t => Get($"/admin/users/{t.UserId}")),
        ["POST /admin/users/{Id}"] = new(Needs.AdminOrAuditor, 400, 400, t => PagePost($"/admin/users/{t.UserId}", t)),
        ["GET /admin/apikeys"] = new(Needs.AdminOrAuditor, 200, 200, _ => Get("/admin/apikeys")),
        ["POST /admin/apikeys"] = new(Needs.AdminOrAuditor, 400, 400, t => PagePost("/admin/apikeys", t)),
        // The audit trail covers every creditor: these callers act for one.
        // Letters (issue 11): the batches page, a batch's PDF and marking it posted (no batch here: not found for everyone permitted).
        ["GET /letters"] = new(Needs.SupervisorOrAuditor, 200, 200, _ => Get("/letters")),
        ["POST /letters"] = new(Needs.Supervisor, 400, 400, t => PagePost("/letters", t)),
        ["POST /letters/{id:long}/pdf"] = new(Needs.Supervisor, 404, 404, t => Form("/letters/999999/pdf", t, [])),
        ["POST /letters/{id:long}/posted"] = new(Needs.Supervisor, 404, 404, t => Form("/letters/999999/posted", t, [])),
        ["GET /outbox/parked"] = new(Needs.SupervisorOrAuditor, 200, 200, _ => Get("/outbox/parked")),
        ["POST /outbox/parked"] = new(Needs.SupervisorOrAuditor, 400, 400, t => PagePost("/outbox/parked", t)),
        ["POST /outbox/{id:long}/reconcile"] = new(Needs.Supervisor, 404, 404, t => Form("/outbox/999999/reconcile", t, new() { ["arrived"] = "true" })),
        ["GET /templates"] = new(Needs.SupervisorOrAuditor, 200, 200, _ => Get("/templates")),
        ["POST /templates"] = new(Needs.SupervisorOrAuditor, 400, 400, t => PagePost("/templates", t)),
        ["GET /templates/edit"] = new(Needs.SupervisorOrAuditor, 200, 200, _ => Get("/templates/edit")),
        ["POST /templates/edit"] = new(Needs.SupervisorOrAuditor, 400, 400, t => PagePost("/templates/edit", t)),
        ["GET /inbound/triage"] = new(Needs.Read, 200, 200, _ => Get("/inbound/triage")),
        ["POST /inbound/triage"] = new(Needs.Read, 400, 400, t => PagePost("/inbound/triage", t)),
        ["GET /inbound/replies"] = new(Needs.SupervisorOrAuditor, 200, 200, _ => Get("/inbound/replies")),
        ["POST /inbound/replies"] = new(Needs.SupervisorOrAuditor, 400, 400, t => PagePost("/inbound/replies", t)),
        ["POST /inbound/{id:long}/assign"] = new(Needs.Agent, 422, 422, t => Form("/inbound/999999/assign", t, new() { ["account"] = "ACME-1" })),
        ["POST /accounts/{id:long}/invoice-copy"] = new(Needs.Agent, 302, 404, t => Form($"/accounts/{t.Account}/invoice-copy", t, [])),

        // The SMS provider's delivery receipts: anyone may post, only a valid signature is heard.
        ["POST /webhooks/sms/status"] = new(Needs.Anyone, 403, 403, _ => new HttpRequestMessage(HttpMethod.Post, "/webhooks/sms/status")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["MessageSid"] = "SM1", ["MessageStatus"] = "delivered" }),
        }),
        ["POST /webhooks/sms/inbound"] = new(Needs.Anyone, 403, 403, _ => new HttpRequestMessage(HttpMethod.Post, "/webhooks/sms/inbound")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["MessageSid"] = "SM2", ["From"] = "+15555550100", ["Body"] = "Hello" }),
        }),

        ["GET /audit"] = new(Needs.AdminOrAuditor, 403, 403, _ => Get("/audit")),
        ["POST /audit"] = new(Needs.AdminOrAuditor, 400, 400, t => PagePost("/audit", t)),

        // The pages' form posts.
        ["POST /approvals/{id:long}"] = new(Needs.Supervisor, 302, 404, t => Form($"/approvals/{t.ToDecideOnPage}", t, new() { ["decision"] = "approve", ["note"] = "Agreed" })),
        ["POST /accounts/{id:long}/arrangements"] = new(Needs.Agent, 302, 404, t => Form($"/accounts/{t.Account}/arrangements", t,
            new() { ["kind"] = "promise", ["firstPaymentOn"] = "2026-03-09", ["total"] = "10.00" })),
        ["POST /accounts/{id:long}/disputes"] = new(Needs.Agent, 302, 404, t => Form($"/accounts/{t.Account}/disputes", t,
            new() { ["receivedAt"] = "2026-03-02T09:00", ["written"] = "written", ["amount"] = "", ["note"] = "Estimated bill" })),
        ["POST /accounts/{id:long}/disputes/{disputeId:long}/verification"] = new(Needs.Agent, 302, 404, t => Form(
            $"/accounts/{t.Account}/disputes/{t.PageDispute}/verification", t, new() { ["sentAt"] = "2026-03-02T10:00", ["note"] = "Bill copy sent" })),
        ["POST /accounts/{id:long}/facts/flags"] = new(Needs.Agent, 302, 404, t => Form($"/accounts/{t.Account}/facts/flags", t,
            new() { ["kind"] = "OptOutCalls", ["since"] = "2026-03-02", ["until"] = "", ["note"] = "Said on the call" })),
        ["POST /accounts/{id:long}/facts/flags/{flagId:long}/end"] = new(Needs.Agent, 302, 404, t => Form($"/accounts/{t.Account}/facts/flags/{t.Flag}/end", t, [])),
        ["POST /accounts/{id:long}/facts/contacts/{contactId:long}"] = new(Needs.Agent, 302, 404, t => Form($"/accounts/{t.Account}/facts/contacts/{t.Contact}", t,
            new() { ["consent"] = "Unknown", ["consentExpiresAt"] = "", ["timeZone"] = "America/New_York" })),
        ["POST /accounts/{id:long}/facts/times"] = new(Needs.Agent, 302, 404, t => Form($"/accounts/{t.Account}/facts/times", t,
            new() { ["from"] = "12:00", ["until"] = "13:00", ["days"] = "mon" })),
        ["POST /accounts/{id:long}/facts/account"] = new(Needs.Agent, 302, 404, t => Form($"/accounts/{t.Account}/facts/account", t,
            new() { ["validationNoticeSentAt"] = "2026-02-10T09:00", ["validationPeriodEnd"] = "2026-03-20", ["limitationDate"] = "2029-01-15" })),

        // Creditors.
        ["GET /api/v1/creditors"] = new(Needs.Read, 200, 200, _ => Get("/api/v1/creditors")),
        ["GET /api/v1/creditors/{reference}"] = new(Needs.Read, 200, 404, _ => Get("/api/v1/creditors/ACME")),
        // Only an admin acting for every creditor adds one; these callers act for one.
        ["POST /api/v1/creditors"] = new(Needs.Admin, 403, 403, t => Json(HttpMethod.Post, "/api/v1/creditors",
            new { reference = $"NEW-{t.Role}", name = "New", jurisdictionPack = "US-FDCPA", timeZone = "America/New_York" })),
        ["PATCH /api/v1/creditors/{reference}"] = new(Needs.Admin, 200, 404, _ => Json(HttpMethod.Patch, "/api/v1/creditors/ACME", new { displayName = "Acme" })),
        ["GET /api/v1/creditors/{reference}/policy"] = new(Needs.Read, 200, 404, _ => Get("/api/v1/creditors/ACME/policy")),
        ["PUT /api/v1/creditors/{reference}/policy"] = new(Needs.Admin, 200, 404, t => Json(HttpMethod.Put, "/api/v1/creditors/ACME/policy", t.Policy!)),
        ["GET /api/v1/creditors/{reference}/policy/versions"] = new(Needs.Read, 200, 404, _ => Get("/api/v1/creditors/ACME/policy/versions")),
        ["GET /api/v1/creditors/{reference}/policy/versions/{version:int}"] = new(Needs.Read, 200, 404, _ => Get("/api/v1/creditors/ACME/policy/versions/1")),

        // Records. A caller for BETA names ACME's records and gets what a missing one gets.
        ["POST /api/v1/debtors"] = new(Needs.Agent, 201, 400, t => Json(HttpMethod.Post, "/api/v1/debtors", RecordsSeed.WithCreditor(RecordsSeed.Debtor($"N-{t.Role}"), "ACME"))),
        ["GET /api/v1/debtors/{id:long}"] = new(Needs.Read, 200, 404, t => Get($"/api/v1/debtors/{t.Debtor}")),
        ["PATCH /api/v1/debtors/{id:long}"] = new(Needs.Agent, 200, 404, t => Json(HttpMethod.Patch, $"/api/v1/debtors/{t.Debtor}", new { city = "Albany" })),
        ["POST /api/v1/accounts"] = new(Needs.Agent, 201, 400, t => Json(HttpMethod.Post, "/api/v1/accounts", RecordsSeed.Account(t.Debtor, $"NEW-{t.Role}"))),
        ["GET /api/v1/accounts"] = new(Needs.Read, 200, 200, _ => Get("/api/v1/accounts?q=ACC")),
        ["GET /api/v1/accounts/{id:long}"] = new(Needs.Read, 200, 404, t => Get($"/api/v1/accounts/{t.Account}")),
        ["PATCH /api/v1/accounts/{id:long}"] = new(Needs.Agent, 200, 404, t => Json(HttpMethod.Patch, $"/api/v1/accounts/{t.Account}", new { limitationDate = "2031-01-15" })),
        ["GET /api/v1/accounts/{id:long}/ledger/{entryId:long}"] = new(Needs.Read, 200, 404, t => Get($"/api/v1/accounts/{t.Account}/ledger/{t.Payment}")),
        ["POST /api/v1/accounts/{id:long}/ledger/{entryId:long}/reversal"] = new(Needs.Supervisor, 201, 404, t => Json(HttpMethod.Post,
            $"/api/v1/accounts/{t.Account}/ledger/{t.Payment}/reversal", new { reason = "Bounced" })),
        ["POST /api/v1/accounts/{id:long}/payments"] = new(Needs.Agent, 201, 404, t => Json(HttpMethod.Post, $"/api/v1/accounts/{t.Account}/payments",
            new { amount = "2.00", paidOn = "2026-03-01" }, $"matrix-{t.Role}")),
        ["POST /api/v1/accounts/{id:long}/interactions"] = new(Needs.Agent, 201, 404, t => Json(HttpMethod.Post, $"/api/v1/accounts/{t.Account}/interactions",
            new { channel = "note", notes = "n" })),
        ["GET /api/v1/accounts/{id:long}/interactions"] = new(Needs.Read, 200, 404, t => Get($"/api/v1/accounts/{t.Account}/interactions")),
        ["GET /api/v1/accounts/{id:long}/interactions/{interactionId:long}"] = new(Needs.Read, 200, 404, t => Get($"/api/v1/accounts/{t.Account}/interactions/{t.Interaction}")),
        ["GET /api/v1/tasks"] = new(Needs.Read, 200, 200, _ => Get("/api/v1/tasks")),
        ["GET /api/v1/inbound/response-times"] = new(Needs.Read, 200, 200, _ => Get("/api/v1/inbound/response-times")),
        ["GET /api/v1/inbound/{id:long}"] = new(Needs.Read, 404, 404, _ => Get("/api/v1/inbound/999999")),
        ["POST /api/v1/inbound/{id:long}/assign"] = new(Needs.Agent, 404, 404, t => Json(HttpMethod.Post, "/api/v1/inbound/999999/assign", new { accountId = t.Account })),
        ["POST /api/v1/inbound/{id:long}/reply"] = new(Needs.Agent, 404, 404, _ => Json(HttpMethod.Post, "/api/v1/inbound/999999/reply", new { text = "Thank you for your message." })),
        ["GET /api/v1/templates"] = new(Needs.Read, 200, 200, _ => Get("/api/v1/templates")),
        ["GET /api/v1/templates/versions/{id:long}"] = new(Needs.Read, 404, 404, _ => Get("/api/v1/templates/versions/999999")),
        ["GET /api/v1/templates/history"] = new(Needs.Read, 400, 400, _ => Get("/api/v1/templates/history")),
        ["POST /api/v1/templates"] = new(Needs.Supervisor, 400, 400, _ => Json(HttpMethod.Post, "/api/v1/templates", new { creditor = "ACME" })),
        ["POST /api/v1/templates/preview"] = new(Needs.Read, 404, 404, _ => Json(HttpMethod.Post, "/api/v1/templates/preview", new { })),
        ["POST /api/v1/messages/check"] = new(Needs.Read, 200, 404, t => Json(HttpMethod.Post, "/api/v1/messages/check",
            new { text = "Hello, a friendly reminder about your account.", channel = "email", language = "en", accountId = t.Account })),
        ["POST /api/v1/accounts/{id:long}/messages"] = new(Needs.Agent, 400, 404, t => Json(HttpMethod.Post, $"/api/v1/accounts/{t.Account}/messages", new { })),
        ["POST /api/v1/accounts/{id:long}/invoice-copy"] = new(Needs.Agent, 200, 404, t => Json(HttpMethod.Post, $"/api/v1/accounts/{t.Account}/invoice-copy", new { })),
        ["GET /api/v1/accounts/{id:long}/charges"] = new(Needs.Read, 200, 404, t => Get($"/api/v1/accounts/{t.Account}/charges")),
        ["GET /api/v1/accounts/{id:long}/contact-eligibility"] = new(Needs.Read, 200, 404, t => Get($"/api/v1/accounts/{t.Account}/contact-eligibility?channel=call")),
        ["POST /api/v1/accounts/{id:long}/disputes"] = new(Needs.Agent, 201, 404, t => Json(HttpMethod.Post, $"/api/v1/accounts/{t.Account}/disputes",
            new { receivedAt = "2026-03-02T12:00:00Z", written = false, amount = "1.00" }, $"matrix-dispute-{t.Role}")),
        ["GET /api/v1/accounts/{id:long}/disputes"] = new(Needs.Read, 200, 404, t => Get($"/api/v1/accounts/{t.Account}/disputes")),
        ["GET /api/v1/accounts/{id:long}/disputes/{disputeId:long}"] = new(Needs.Read, 200, 404, t => Get($"/api/v1/accounts/{t.Account}/disputes/{t.Dispute}")),
        ["POST /api/v1/accounts/{id:long}/disputes/{disputeId:long}/verification"] = new(Needs.Agent, 200, 404, t => Json(HttpMethod.Post,
            $"/api/v1/accounts/{t.Account}/disputes/{t.Dispute}/verification", new { sentAt = "2026-03-02T13:00:00Z" })),

        // Options and arrangements.
        ["GET /api/v1/accounts/{id:long}/options"] = new(Needs.Read, 200, 404, t => Get($"/api/v1/accounts/{t.Account}/options")),
        ["POST /api/v1/accounts/{id:long}/arrangements"] = new(Needs.Agent, 201, 404, t => Json(HttpMethod.Post, $"/api/v1/accounts/{t.OtherAccount}/arrangements",
            new { kind = "promise", firstPaymentOn = "2026-03-09" }, $"matrix-promise-{t.Role}")),
        ["GET /api/v1/approvals"] = new(Needs.SupervisorOrAuditor, 200, 200, _ => Get("/api/v1/approvals")),
        ["GET /api/v1/arrangements/{id:long}"] = new(Needs.Read, 200, 404, t => Get($"/api/v1/arrangements/{t.ToApprove}")),
        ["POST /api/v1/arrangements/{id:long}/approve"] = new(Needs.Supervisor, 200, 404, t => Json(HttpMethod.Post, $"/api/v1/arrangements/{t.ToApprove}/approve", new { note = "ok" })),
        ["POST /api/v1/arrangements/{id:long}/reject"] = new(Needs.Supervisor, 200, 404, t => Json(HttpMethod.Post, $"/api/v1/arrangements/{t.ToReject}/reject", new { note = "no" })),

        // Reference rates are public figures, not any creditor's.
        // The audit trail and its chains cover every creditor: these callers act for one.
        ["GET /api/v1/audit"] = new(Needs.AdminOrAuditor, 403, 403, _ => Get("/api/v1/audit")),
        ["GET /api/v1/audit/verify"] = new(Needs.AdminOrAuditor, 403, 403, _ => Get("/api/v1/audit/verify")),

        ["GET /api/v1/reference-rates/{series}"] = new(Needs.Read, 200, 200, _ => Get("/api/v1/reference-rates/GB-BANK-RATE")),
        ["POST /api/v1/reference-rates"] = new(Needs.Admin, 201, 201, t => Json(HttpMethod.Post, "/api/v1/reference-rates",
            new { series = "GB-BANK-RATE", effectiveFrom = NextRateDate(), rate = "3.75" })),
        ["POST /api/v1/reference-rates/{series}/{effectiveFrom}/withdrawal"] = new(Needs.Admin, 404, 404, _ => Json(HttpMethod.Post,
            "/api/v1/reference-rates/GB-BANK-RATE/1999-01-01/withdrawal", new { reason = "Recorded for the wrong date" })),

        // Imports: every row is checked against the caller's creditors.
        ["POST /api/v1/imports/placements"] = new(Needs.Admin, 200, 422, t => Csv("/api/v1/imports/placements",
            Imports.ImportKit.Csv(Imports.ImportKit.PlacementHeader, Imports.ImportKit.Row($"IMP-{t.Role}", $"IMP-D-{t.Role}")))),
        ["POST /api/v1/imports/payments"] = new(Needs.Admin, 200, 422, t => Csv("/api/v1/imports/payments",
            Imports.ImportKit.Csv(Imports.ImportKit.PaymentHeader, $"ACC-{t.Role},1.00,USD,2026-03-01,card,IMP-{t.Role}"))),
    };

    private static int _rateDays;

    /// <summary>One rate per series and date: each call records a new date.</summary>
    private static string NextRateDate() => new LocalDate(2020, 1, 1).PlusDays(Interlocked.Increment(ref _rateDays)).ToString("yyyy-MM-dd", null);

    /// <summary>Every route of ours in the endpoint data source, as "METHOD pattern" (a page answering GET and POST is two).</summary>
    private static List<string> Routes(TestApp app) =>
    [
        .. app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText is { } path && path.StartsWith('/') && !path.StartsWith("/_", StringComparison.Ordinal)
                && (!path.Contains('.', StringComparison.Ordinal) || path == "/openapi/{documentName}.json"))
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["ANY"]).Where(m => m != "HEAD")
                .Select(m => $"{m} {e.RoutePattern.RawText}"))
            .Distinct().Order(StringComparer.Ordinal),
    ];

    [Fact]
    public async Task Every_route_has_a_row_and_every_row_a_route()
    {
        await using var database = await TestDatabase.CreateAsync("sqlite");
        await using var app = await TestApp.StartAsync(database, Now);

        var routes = Routes(app);

        Assert.Empty(routes.Except(Matrix.Keys).Select(r => $"{r}: a new route needs a row in the authorization matrix"));
        Assert.Empty(Matrix.Keys.Except(routes).Select(r => $"{r}: no such route any more"));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Every_route_answers_each_role_in_scope_out_of_scope_and_without_a_credential_exactly_as_its_row_says(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        await RecordsSeed.CreditorAsync(app, "ACME");
        await RecordsSeed.CreditorAsync(app, "BETA");
        var seeder = await app.ClientAsAsync(Roles.Admin);
        // Version 1 of ACME's policy, so its version routes have something to show.
        var current = await (await seeder.GetAsync("/api/v1/creditors/ACME/policy", Cancel)).JsonAsync();
        var policy = System.Text.Json.Nodes.JsonNode.Parse(current.GetProperty("policy").GetRawText())!;
        Assert.Equal(HttpStatusCode.OK, (await seeder.PutAsJsonAsync("/api/v1/creditors/ACME/policy", policy, Cancel)).StatusCode);
        var proposer = await app.ClientAsAsync(Roles.Agent);
        var targets = new Dictionary<string, Target>();
        foreach (var role in Roles.All)
        {
            targets[role] = await SeedAsync(seeder, proposer, role) with { Policy = policy };
        }

        // Each role twice: acting for ACME (whose records are addressed) and acting for BETA only.
        var api = new Dictionary<(string, bool), HttpClient>();
        var pages = new Dictionary<(string, bool), (HttpClient Client, string Token)>();
        foreach (var role in Roles.All)
        {
            foreach (var inScope in new[] { true, false })
            {
                var creditor = inScope ? "ACME" : "BETA";
                api[(role, inScope)] = await app.ClientAsAsync(role, creditor);
                var session = await SignInAsync(app, $"{role}.{creditor}@matrix.test", role, creditor);
                pages[(role, inScope)] = session;
            }
        }

        // A user for the user page to show: the agent acting for ACME.
        var userId = await app.WithDbAsync(db => db.Users.Where(u => u.Email == $"{Roles.Agent}.ACME@matrix.test").Select(u => u.Id).SingleAsync(Cancel));
        foreach (var role in Roles.All)
        {
            targets[role] = targets[role] with { UserId = userId };
        }

        var mismatches = new List<string>();
        var routes = Routes(app);
        // Signing out ends the sessions the other rows need: it goes last.
        foreach (var key in routes.Where(Matrix.ContainsKey).OrderBy(k => k == "POST /signout"))
        {
            var entry = Matrix[key];
            var isApi = key.Split(' ')[1].StartsWith("/api/", StringComparison.Ordinal);
            var anonymous = PageSession.NewClient(app);
            var anonymousStatus = (int)(await anonymous.SendAsync(entry.Request(targets[Roles.Agent]), Cancel)).StatusCode;
            // Without a credential the API says 401 and a page sends the person to sign in.
            var anonymousExpected = entry.Needs == Needs.Anyone ? entry.InScope : isApi ? 401 : 302;
            Check(key, "no credential", anonymousStatus, anonymousExpected);

            foreach (var role in Roles.All)
            {
                foreach (var inScope in new[] { false, true })
                {
                    var (client, token) = isApi ? (api[(role, inScope)], "") : pages[(role, inScope)];
                    var status = (int)(await client.SendAsync(entry.Request(targets[role] with { Token = token }), Cancel)).StatusCode;
                    // A page a role may not see sends the person to /denied; a form post it may not make is refused outright.
                    var forbidden = isApi || !key.StartsWith("GET", StringComparison.Ordinal) ? 403 : 302;
                    var expected = !Permits(entry.Needs, role, key) ? forbidden : inScope ? entry.InScope : entry.OutOfScope;
                    Check(key, $"{role} for {(inScope ? "ACME" : "BETA")}", status, expected);
                }
            }
        }

        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches));

        void Check(string key, string who, int status, int expected)
        {
            if (status != expected)
            {
                mismatches.Add($"{key} as {who}: {status}, expected {expected}");
            }
        }
    }

    private static async Task<(HttpClient, string)> SignInAsync(TestApp app, string email, string role, string creditor)
    {
        await PageSession.AddUserAsync(app, email, role, creditor);
        var client = PageSession.NewClient(app);
        var signedIn = await PageSession.SubmitAsync(client, "/signin", "signin", new() { ["Input.Email"] = email, ["Input.Password"] = PageSession.Password });
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        var home = await (await client.GetAsync("/", Cancel)).Content.ReadAsStringAsync(Cancel);
        var token = AntiforgeryField().Match(home);
        Assert.True(token.Success, "The home page carries no antiforgery token.");
        return (client, token.Groups[1].Value);
    }

    /// <summary>One role's records: an account to act on, and one account per arrangement (an account has one open arrangement at a time).</summary>
    private static async Task<Target> SeedAsync(HttpClient admin, HttpClient agent, string role)
    {
        var debtor = await RecordsSeed.PostDebtorAsync(admin, RecordsSeed.WithCreditor(RecordsSeed.Debtor($"D-{role}"), "ACME"));
        var account = await RecordsSeed.PostAccountAsync(admin, RecordsSeed.Account(debtor, $"ACC-{role}"));
        var debtorView = await (await admin.GetAsync($"/api/v1/debtors/{debtor}", Cancel)).JsonAsync();
        var paid = await (await admin.SendAsync(Json(HttpMethod.Post, $"/api/v1/accounts/{account}/payments", new { amount = "1.00", paidOn = "2026-03-01" }, $"seed-{role}"), Cancel)).JsonAsync();
        var noted = await (await admin.PostAsJsonAsync($"/api/v1/accounts/{account}/interactions", new { channel = "note", notes = "seed" }, Cancel)).JsonAsync();
        async Task<long> DisputeAsync(string key) => (await (await admin.SendAsync(Json(HttpMethod.Post, $"/api/v1/accounts/{account}/disputes",
            new { receivedAt = "2026-03-01T12:00:00Z", written = true, amount = "1.00" }, key), Cancel)).JsonAsync()).GetProperty("dispute").GetProperty("id").GetInt64();
        // Beyond an agent's authority: pending a supervisor.
        async Task<long> PendingAsync(string key)
        {
            var other = await RecordsSeed.PostAccountAsync(admin, RecordsSeed.Account(debtor, $"ACC-{role}-{key}"));
            var proposed = await agent.SendAsync(Json(HttpMethod.Post, $"/api/v1/accounts/{other}/arrangements",
                new { kind = "plan", firstPaymentOn = "2026-03-09", frequency = "monthly", instalments = 10 }, $"seed-{role}-{key}"), Cancel);
            Assert.Equal(HttpStatusCode.Created, proposed.StatusCode);
            return (await proposed.JsonAsync()).GetProperty("id").GetInt64();
        }

        return new Target(
            role,
            debtor,
            account,
            await RecordsSeed.PostAccountAsync(admin, RecordsSeed.Account(debtor, $"ACC-{role}-promise")),
            paid.GetProperty("entryId").GetInt64(),
            noted.GetProperty("id").GetInt64(),
            await DisputeAsync($"seed-dispute-{role}"),
            await DisputeAsync($"seed-page-dispute-{role}"),
            debtorView.GetProperty("flags")[0].GetProperty("id").GetInt64(),
            debtorView.GetProperty("contacts")[0].GetProperty("id").GetInt64(),
            await PendingAsync("approve"),
            await PendingAsync("reject"),
            await PendingAsync("page"));
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
