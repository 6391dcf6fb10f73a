using System.Net;
using Dunwell.Domain.Accounts;
using Dunwell.Tests.Features.Pages;
using Dunwell.Tests.Features.Records;
using Dunwell.Tests.Support;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using static Dunwell.Tests.Features.Credentials.CookieSession;

namespace Dunwell.Tests.Features.Credentials;

/// <summary>/admin/users and /admin/apikeys: what an admin does there takes effect at once, and nobody else can.</summary>
public sealed class CredentialPagesTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static readonly Instant Now = Instant.FromUtc(2026, 3, 2, 15, 0);

    private static async Task<string> HtmlAsync(HttpResponseMessage response) => WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(Cancel));

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task An_admin_disables_a_user_on_the_page_and_their_copied_cookie_stops_then_resets_their_password_shown_once(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        await PageSession.AddUserAsync(app, "dana@cred.test", Roles.Agent);
        var (_, jar) = await SignInAsync(app, "dana@cred.test");
        var copy = CopyOf(app, jar);
        var admin = await PageSession.SignedInAsync(app, Roles.Admin);
        var id = await app.WithDbAsync(db => db.Users.Where(u => u.Email == "dana@cred.test").Select(u => u.Id).SingleAsync(Cancel));

        var list = await HtmlAsync(await admin.GetAsync("/admin/users", Cancel));
        var disabled = await PageSession.SubmitAsync(admin, $"/admin/users/{id}", "user-disable", []);
        var disabledHtml = await HtmlAsync(disabled);
        var afterDisable = await VisitAsync(copy, "/accounts");
        var enabled = await HtmlAsync(await PageSession.SubmitAsync(admin, $"/admin/users/{id}", "user-enable", []));
        var reset = await HtmlAsync(await PageSession.SubmitAsync(admin, $"/admin/users/{id}", "user-reset", []));
        var shownAgain = await HtmlAsync(await admin.GetAsync($"/admin/users/{id}", Cancel));
        var password = System.Text.RegularExpressions.Regex.Match(reset, "<code>(Dw7-[^<]+)</code>").Groups[1].Value;
        var (again, _) = await SignInAsync(app, "dana@cred.test", password);
        var withNewPassword = await VisitAsync(again, "/accounts");
        var role = await HtmlAsync(await PageSession.SubmitAsync(admin, $"/admin/users/{id}", "user-role", new() { ["Role"] = Roles.Supervisor }));
        var badCreditors = await PageSession.SubmitAsync(admin, $"/admin/users/{id}", "user-creditors", new() { ["Creditors"] = "NOPE" });

        Assert.Contains($"href=\"/admin/users/{id}\"", list, StringComparison.Ordinal);
        Assert.Contains("dana@cred.test", list, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, disabled.StatusCode);
        Assert.Contains("Disabled dana@cred.test", disabledHtml, StringComparison.Ordinal);
        Assert.Contains("<dd id=\"user-status\">disabled</dd>", disabledHtml, StringComparison.Ordinal);
        Assert.Equal("signin", afterDisable);
        Assert.Contains("<dd id=\"user-status\">active</dd>", enabled, StringComparison.Ordinal);
        Assert.NotEmpty(password);
        Assert.DoesNotContain(password, shownAgain, StringComparison.Ordinal);
        Assert.Equal("200", withNewPassword);
        Assert.Equal("signin", await VisitAsync(again, "/accounts")); // the role change after the reset ended that session too
        Assert.Contains("dana@cred.test is now supervisor.", role, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, badCreditors.StatusCode);
        Assert.Contains("No creditor with reference &#x27;NOPE&#x27;.", await badCreditors.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
        var actions = await app.WithDbAsync(db => db.AuditEvents.Where(e => e.Subject == "user:dana@cred.test" && e.Actor == "user:admin@pages.test")
            .OrderBy(e => e.Id).Select(e => e.Action).ToListAsync(Cancel));
        Assert.Equal(["user.disable", "user.enable", "user.reset-password", "user.set-role"], actions);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task An_admin_revokes_a_key_on_the_page_and_its_next_request_is_refused(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var integration = await app.ClientAsAsync(Roles.Agent);
        var name = await app.WithDbAsync(db => db.ApiKeys.Select(k => k.Name).SingleAsync(Cancel));
        var admin = await PageSession.SignedInAsync(app, Roles.Admin);

        var before = await integration.GetAsync("/api/v1/accounts", Cancel);
        var page = await HtmlAsync(await PageSession.SubmitAsync(admin, "/admin/apikeys", "revoke-key", new() { ["Name"] = name }));
        var after = await integration.GetAsync("/api/v1/accounts", Cancel);

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Contains($"Revoked API key '{name}'", page, StringComparison.Ordinal);
        Assert.Contains("revoked ", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.Equal("user:admin@pages.test", await app.WithDbAsync(db => db.AuditEvents.Where(e => e.Action == "apikey.revoke").Select(e => e.Actor).SingleAsync(Cancel)));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task An_admin_changes_a_keys_creditors_on_the_page_and_its_next_request_is_scoped_by_them(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        await RecordsSeed.CreditorAsync(app, "ACME");
        await RecordsSeed.CreditorAsync(app, "BETA");
        var seeder = await app.ClientAsAsync(Roles.Admin);
        var debtor = await RecordsSeed.PostDebtorAsync(seeder, RecordsSeed.WithCreditor(RecordsSeed.Debtor("D-KEY"), "ACME"));
        var account = await RecordsSeed.PostAccountAsync(seeder, RecordsSeed.Account(debtor, "ACC-KEY"));
        var integration = await app.ClientAsAsync(Roles.Agent, "ACME");
        var name = await app.WithDbAsync(db => db.ApiKeys.Where(k => !k.AllCreditors).Select(k => k.Name).SingleAsync(Cancel));
        var admin = await PageSession.SignedInAsync(app, Roles.Admin);

        var before = await integration.GetAsync($"/api/v1/accounts/{account}", Cancel);
        var page = await HtmlAsync(await PageSession.SubmitAsync(admin, "/admin/apikeys", "key-creditors", new() { ["KeyName"] = name, ["Creditors"] = "BETA" }));
        var after = await integration.GetAsync($"/api/v1/accounts/{account}", Cancel);
        var unknown = await PageSession.SubmitAsync(admin, "/admin/apikeys", "key-creditors", new() { ["KeyName"] = name, ["Creditors"] = "NOPE" });

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Contains($"API key '{name}' now acts for BETA", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, after.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, unknown.StatusCode);
        Assert.Contains("NOPE", await unknown.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
        Assert.Equal("creditors=BETA", await app.WithDbAsync(db => db.AuditEvents.Where(e => e.Action == "apikey.set-creditors").Select(e => e.Detail).SingleAsync(Cancel)));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task An_auditor_reads_the_users_and_keys_pages_without_their_forms_and_cannot_post_them(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        await app.ClientAsAsync(Roles.Agent);
        var auditor = await PageSession.SignedInAsync(app, Roles.Auditor);
        var id = await app.WithDbAsync(db => db.Users.Select(u => u.Id).SingleAsync(Cancel));

        var keys = await auditor.GetAsync("/admin/apikeys", Cancel);
        var user = await auditor.GetAsync($"/admin/users/{id}", Cancel);
        var html = await keys.Content.ReadAsStringAsync(Cancel) + await user.Content.ReadAsStringAsync(Cancel);
        var revoke = await PageSession.SubmitAsync(auditor, "/admin/apikeys", "revoke-key", new() { ["Name"] = "anything" });

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (keys.StatusCode, user.StatusCode));
        Assert.DoesNotContain("revoke-key", html, StringComparison.Ordinal);
        Assert.DoesNotContain("key-creditors", html, StringComparison.Ordinal);
        Assert.DoesNotContain("user-disable", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, revoke.StatusCode);
        Assert.Null(await app.WithDbAsync(db => db.ApiKeys.Select(k => k.RevokedAt).SingleAsync(Cancel)));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Nobody_but_an_admin_reaches_the_pages_and_a_post_without_the_antiforgery_token_changes_nothing(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        await PageSession.AddUserAsync(app, "dana@cred.test", Roles.Agent);
        var id = await app.WithDbAsync(db => db.Users.Select(u => u.Id).SingleAsync(Cancel));
        var supervisor = await PageSession.SignedInAsync(app, Roles.Supervisor);
        var admin = await PageSession.SignedInAsync(app, Roles.Admin);

        var users = await supervisor.GetAsync("/admin/users", Cancel);
        var keys = await supervisor.GetAsync("/admin/apikeys", Cancel);
        var forged = await admin.PostAsync($"/admin/users/{id}", new FormUrlEncodedContent(new Dictionary<string, string> { ["_handler"] = "user-disable" }), Cancel);

        Assert.Equal(HttpStatusCode.Redirect, users.StatusCode);
        Assert.StartsWith("/denied", users.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, keys.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(0, await app.WithDbAsync(db => db.AuditEvents.CountAsync(e => e.Action == "user.disable", Cancel)));
    }
}
