using System.Net;
using Dunwell.Data;
using Dunwell.Domain.Accounts;
using Dunwell.Features.Admin;
using Dunwell.Tests.Features.Pages;
using Dunwell.Tests.Support;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using static Dunwell.Tests.Features.Credentials.CookieSession;

namespace Dunwell.Tests.Features.Credentials;

/// <summary>
/// Finding 7: a cookie copied before a sign-out, a disable, a role or creditor change or a password reset must stop working on
/// its very next request; a revoked API key likewise. Each case copies a real session cookie before the change.
/// </summary>
public sealed class SessionRevocationTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static readonly Instant Now = Instant.FromUtc(2026, 3, 2, 15, 0);

    private const string Admin = "system:test";

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_cookie_copied_before_sign_out_is_refused_on_its_next_request(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        await PageSession.AddUserAsync(app, "dana@cred.test", Roles.Agent);
        var (browser, jar) = await SignInAsync(app, "dana@cred.test");
        var copy = CopyOf(app, jar);
        Assert.Equal("200", await VisitAsync(copy, "/accounts"));

        var signOut = await PageSession.SubmitAsync(browser, "/accounts", "signout", [], postUrl: "/signout");

        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        Assert.Equal("signin", await VisitAsync(copy, "/accounts"));
        Assert.Equal(1, await app.WithDbAsync(db => db.AuditEvents.CountAsync(e => e.Action == "user.signout" && e.Subject == "user:dana@cred.test", Cancel)));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_disabled_user_is_signed_out_at_once_cannot_sign_in_and_can_again_once_enabled(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        await PageSession.AddUserAsync(app, "dana@cred.test", Roles.Agent);
        var (_, jar) = await SignInAsync(app, "dana@cred.test");
        var copy = CopyOf(app, jar);

        await AsAdminAsync(app, s => ManageUsers.DisableAsync(s, "dana@cred.test", Admin, Cancel));
        var afterDisable = await VisitAsync(copy, "/accounts");
        var refused = await SignInResponseAsync(PageSession.NewClient(app), "dana@cred.test", PageSession.Password);
        await AsAdminAsync(app, s => ManageUsers.EnableAsync(s, "dana@cred.test", Admin, Cancel));
        var (again, _) = await SignInAsync(app, "dana@cred.test");

        Assert.Equal("signin", afterDisable);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains("This account is disabled", await refused.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
        Assert.Equal("signin", await VisitAsync(copy, "/accounts")); // enabling does not bring the old cookie back
        Assert.Equal("200", await VisitAsync(again, "/accounts"));
        var actions = await app.WithDbAsync(db => db.AuditEvents.Where(e => e.Subject == "user:dana@cred.test" && e.Actor == Admin).OrderBy(e => e.Id).Select(e => e.Action).ToListAsync(Cancel));
        Assert.Equal(["user.disable", "user.enable"], actions);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task After_a_role_change_the_old_cookie_is_refused_and_the_next_session_has_the_new_role(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        await PageSession.AddUserAsync(app, "ana@cred.test", Roles.Admin);
        var (_, jar) = await SignInAsync(app, "ana@cred.test");
        var copy = CopyOf(app, jar);
        Assert.Equal("200", await VisitAsync(copy, "/admin/users"));

        await AsAdminAsync(app, s => ManageUsers.SetRoleAsync(s, "ana@cred.test", Roles.Agent, Admin, Cancel));
        var (again, _) = await SignInAsync(app, "ana@cred.test");

        Assert.Equal("signin", await VisitAsync(copy, "/admin/users"));
        Assert.Equal("denied", await VisitAsync(again, "/admin/users"));
        Assert.Equal("200", await VisitAsync(again, "/accounts"));
        var roles = await app.WithDbAsync(db => db.UserRoles.Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => r.Name).ToListAsync(Cancel));
        Assert.Equal([Roles.Agent], roles);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task After_a_creditor_change_the_old_cookie_is_refused_and_the_next_session_sees_only_the_new_creditors(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var accountId = await PageSession.SeedAccountAsync(app);
        await app.WithDbAsync(db =>
        {
            db.Creditors.Add(new Creditor { Reference = "OTH", Name = "Other Water", JurisdictionPack = "US-FDCPA", TimeZone = "America/New_York" });
            return db.SaveChangesAsync(Cancel);
        });
        await PageSession.AddUserAsync(app, "dana@cred.test", Roles.Agent, "NWU");
        var (_, jar) = await SignInAsync(app, "dana@cred.test");
        var copy = CopyOf(app, jar);
        Assert.Equal("200", await VisitAsync(copy, $"/accounts/{accountId}"));

        var grant = await GrantAsync(app, "OTH");
        await AsAdminAsync(app, s => ManageUsers.SetCreditorsAsync(s, "dana@cred.test", grant, Admin, Cancel));
        var (again, _) = await SignInAsync(app, "dana@cred.test");
        var page = await again.GetAsync($"/accounts/{accountId}", Cancel);

        Assert.Equal("signin", await VisitAsync(copy, $"/accounts/{accountId}"));
        Assert.DoesNotContain("Dana Whitfield", await page.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
        Assert.Equal("creditors=OTH", await app.WithDbAsync(db => db.AuditEvents.Where(e => e.Action == "user.set-creditors").Select(e => e.Detail).SingleAsync(Cancel)));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_password_reset_ends_the_old_sessions_and_only_the_new_password_signs_in(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        await PageSession.AddUserAsync(app, "dana@cred.test", Roles.Agent);
        var (_, jar) = await SignInAsync(app, "dana@cred.test");
        var copy = CopyOf(app, jar);

        var reset = (CredentialOutcome.Done)await AsAdminAsync(app, s => ManageUsers.ResetPasswordAsync(s, "dana@cred.test", null, Admin, Cancel));
        var old = await SignInResponseAsync(PageSession.NewClient(app), "dana@cred.test", PageSession.Password);

        Assert.Equal("signin", await VisitAsync(copy, "/accounts"));
        Assert.Equal(HttpStatusCode.Unauthorized, old.StatusCode);
        Assert.NotNull(reset.Secret);
        var (again, _) = await SignInAsync(app, "dana@cred.test", reset.Secret);
        Assert.Equal("200", await VisitAsync(again, "/accounts"));
        var detail = await app.WithDbAsync(db => db.AuditEvents.Where(e => e.Action == "user.reset-password").Select(e => e.Detail).SingleAsync(Cancel));
        Assert.Null(detail); // the password is never in the audit trail
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_locked_user_is_unlocked_by_an_admin_and_signs_in_at_once(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        await PageSession.AddUserAsync(app, "dana@cred.test", Roles.Agent);
        var client = PageSession.NewClient(app);
        for (var attempt = 0; attempt < 5; attempt++)
        {
            await SignInResponseAsync(client, "dana@cred.test", "wrong-password-1");
        }

        var locked = await SignInResponseAsync(client, "dana@cred.test", PageSession.Password);
        var listed = await app.WithDbAsync(db => ManageUsers.ListAsync(db, Now, Cancel));
        await AsAdminAsync(app, s => ManageUsers.UnlockAsync(s, "dana@cred.test", Admin, Cancel));
        var unlocked = await SignInResponseAsync(client, "dana@cred.test", PageSession.Password);

        Assert.Equal(HttpStatusCode.Unauthorized, locked.StatusCode);
        Assert.Contains("locked", await locked.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
        Assert.True(listed.Single().Locked);
        Assert.Equal(HttpStatusCode.Redirect, unlocked.StatusCode);
        Assert.Equal(1, await app.WithDbAsync(db => db.AuditEvents.CountAsync(e => e.Action == "user.unlock", Cancel)));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_revoked_api_key_is_refused_on_its_very_next_request(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var client = await app.ClientAsAsync(Roles.Agent);
        var name = await app.WithDbAsync(db => db.ApiKeys.Select(k => k.Name).SingleAsync(Cancel));
        var before = await client.GetAsync("/api/v1/accounts", Cancel);

        var revoked = await app.WithDbAsync(db => ManageApiKeys.RevokeAsync(db, name, Admin, Now, Cancel));
        var after = await client.GetAsync("/api/v1/accounts", Cancel);
        var again = await app.WithDbAsync(db => ManageApiKeys.RevokeAsync(db, name, Admin, Now, Cancel));

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.IsType<CredentialOutcome.Done>(revoked);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.StartsWith($"API key '{name}' was already revoked", Assert.IsType<CredentialOutcome.Refused>(again).Reason, StringComparison.Ordinal);
        Assert.Equal(1, await app.WithDbAsync(db => db.AuditEvents.CountAsync(e => e.Action == "apikey.revoke" && e.Subject == $"apikey:{name}", Cancel)));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task An_admin_may_not_disable_or_demote_themselves(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        await PageSession.AddUserAsync(app, "ana@cred.test", Roles.Admin);
        await using var scope = app.Services.CreateSystemScope();

        var disable = await ManageUsers.DisableAsync(scope.ServiceProvider, "ana@cred.test", "user:ana@cred.test", Cancel);
        var demote = await ManageUsers.SetRoleAsync(scope.ServiceProvider, "ana@cred.test", Roles.Agent, "user:ana@cred.test", Cancel);
        var unknown = await ManageUsers.DisableAsync(scope.ServiceProvider, "nobody@cred.test", Admin, Cancel);

        Assert.Equal("You cannot disable yourself; ask another administrator.", Assert.IsType<CredentialOutcome.Refused>(disable).Reason);
        Assert.Equal("You cannot take away your own admin role; ask another administrator.", Assert.IsType<CredentialOutcome.Refused>(demote).Reason);
        Assert.Equal("No user with email 'nobody@cred.test'.", Assert.IsType<CredentialOutcome.Refused>(unknown).Reason);
        Assert.Equal(0, await app.WithDbAsync(db => db.AuditEvents.CountAsync(e => e.Action.StartsWith("user.") && e.Action != "user.create", Cancel)));
    }
}
