using System.Security.Cryptography;
using Dunwell.Data;
using Dunwell.Domain.Accounts;
using Dunwell.Features.Creditors;
using Dunwell.Web;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Dunwell.Features.Admin;

/// <summary>What an administrator's change to a user or key came to: done (with a one-time secret when one was generated) or refused.</summary>
public abstract record CredentialOutcome
{
    public sealed record Done(string Summary, string? Secret = null) : CredentialOutcome;

    public sealed record Refused(string Reason) : CredentialOutcome;
}

public sealed record UserRow(string Id, string Email, string Role, string Creditors, string Status, bool Disabled, bool Locked);

/// <summary>
/// The user lifecycle, shared by <c>dunwell users …</c> and /admin/users. Every change is audited in the same transaction, and
/// every change but an unlock renews the user's security stamp, so each cookie issued before it stops working on its next
/// request (<see cref="Web.Auth.UserPrincipals.ValidateAsync"/>).
/// </summary>
public static class ManageUsers
{
    /// <summary>
    /// A disabled user is locked out until the end of time: Identity then refuses their sign-in by itself, and
    /// <see cref="IsDisabled"/> tells this from a lockout after failed attempts (which <see cref="UnlockAsync"/> ends).
    /// </summary>
    public static readonly DateTimeOffset DisabledUntil = new(9999, 12, 31, 0, 0, 0, TimeSpan.Zero);

    public static bool IsDisabled(DunwellUser user) => user.LockoutEnd >= DisabledUntil;

    /// <summary>A password that meets the policy (upper, lower, digit, length): 24 random characters after a fixed head.</summary>
    public static string GeneratePassword() =>
        $"Dw7-{Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)).Replace('+', 'x').Replace('/', 'y')}";

    public static async Task<IReadOnlyList<UserRow>> ListAsync(DunwellDb db, Instant now, CancellationToken cancellationToken)
    {
        var users = await db.Users.AsNoTracking().Include(u => u.Creditors).OrderBy(u => u.Email).ToListAsync(cancellationToken);
        var roles = await db.UserRoles.Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => new { ur.UserId, r.Name }).ToListAsync(cancellationToken);
        var references = await db.Creditors.IgnoreQueryFilters().AsNoTracking().ToDictionaryAsync(c => c.Id, c => c.Reference, cancellationToken);
        return [.. users.Select(u =>
        {
            var locked = !IsDisabled(u) && u.LockoutEnd > now.ToDateTimeOffset();
            var status = IsDisabled(u) ? "disabled" : locked ? $"locked until {Instant.FromDateTimeOffset(u.LockoutEnd!.Value):yyyy-MM-dd HH:mm} UTC" : "active";
            var creditors = u.AllCreditors ? "*" : string.Join(",", u.Creditors.Select(c => references.GetValueOrDefault(c.CreditorId, $"#{c.CreditorId}")).Order(StringComparer.Ordinal));
            return new UserRow(u.Id, u.Email ?? u.UserName ?? u.Id, string.Join(",", roles.Where(r => r.UserId == u.Id).Select(r => r.Name).Order(StringComparer.Ordinal)),
                creditors, status, IsDisabled(u), locked);
        })];
    }

    /// <summary>The user with this email, or with this id (the pages name users by id so that no email goes into an address).</summary>
    public static async Task<DunwellUser?> FindAsync(IServiceProvider services, string emailOrId)
    {
        var users = services.GetRequiredService<UserManager<DunwellUser>>();
        return await users.FindByEmailAsync(emailOrId) ?? await users.FindByIdAsync(emailOrId);
    }

    public static Task<CredentialOutcome> DisableAsync(IServiceProvider services, string email, string actor, CancellationToken cancellationToken) =>
        ChangeAsync(services, email, actor, AuditLog.Actions.UserDisable, async (users, user) =>
        {
            if (IsSelf(actor, user))
            {
                return Refuse("You cannot disable yourself; ask another administrator.");
            }

            await users.SetLockoutEnabledAsync(user, true);
            var result = await users.SetLockoutEndDateAsync(user, DisabledUntil);
            return Result(result, $"Disabled {user.Email}: they cannot sign in, and their sessions have ended.");
        }, cancellationToken);

    public static Task<CredentialOutcome> EnableAsync(IServiceProvider services, string email, string actor, CancellationToken cancellationToken) =>
        ChangeAsync(services, email, actor, AuditLog.Actions.UserEnable, async (users, user) =>
        {
            if (!IsDisabled(user))
            {
                return Refuse($"{user.Email} is not disabled.");
            }

            await users.ResetAccessFailedCountAsync(user);
            return Result(await users.SetLockoutEndDateAsync(user, null), $"Enabled {user.Email}: they can sign in again.");
        }, cancellationToken);

    /// <summary>Ends a lockout after failed sign-ins. The user's sessions are kept: a lockout does not mean their cookie was stolen.</summary>
    public static Task<CredentialOutcome> UnlockAsync(IServiceProvider services, string email, string actor, CancellationToken cancellationToken) =>
        ChangeAsync(services, email, actor, AuditLog.Actions.UserUnlock, async (users, user) =>
        {
            if (IsDisabled(user))
            {
                return Refuse($"{user.Email} is disabled, not locked; enable them instead.");
            }

            await users.ResetAccessFailedCountAsync(user);
            return Result(await users.SetLockoutEndDateAsync(user, null), $"Unlocked {user.Email}: they can sign in now.");
        }, cancellationToken, renewStamp: false);

    public static Task<CredentialOutcome> SetRoleAsync(IServiceProvider services, string email, string role, string actor, CancellationToken cancellationToken) =>
        ChangeAsync(services, email, actor, AuditLog.Actions.UserSetRole, async (users, user) =>
        {
            if (!Roles.All.Contains(role))
            {
                return Refuse($"Unknown role '{role}'. Use one of: {string.Join(", ", Roles.All)}.");
            }

            if (IsSelf(actor, user) && role != Roles.Admin)
            {
                return Refuse("You cannot take away your own admin role; ask another administrator.");
            }

            var roles = services.GetRequiredService<RoleManager<IdentityRole>>();
            if (!await roles.RoleExistsAsync(role))
            {
                await roles.CreateAsync(new IdentityRole(role));
            }

            var removed = await users.RemoveFromRolesAsync(user, await users.GetRolesAsync(user));
            if (!removed.Succeeded)
            {
                return Result(removed, "");
            }

            return Result(await users.AddToRoleAsync(user, role), $"{user.Email} is now {role}.", $"role={role}");
        }, cancellationToken);

    public static Task<CredentialOutcome> SetCreditorsAsync(IServiceProvider services, string email, CreditorGrant grant, string actor, CancellationToken cancellationToken) =>
        ChangeAsync(services, email, actor, AuditLog.Actions.UserSetCreditors, async (users, user) =>
        {
            var db = services.GetRequiredService<DunwellDb>();
            db.Set<UserCreditor>().RemoveRange(await db.Set<UserCreditor>().Where(g => g.UserId == user.Id).ToListAsync(cancellationToken));
            db.Set<UserCreditor>().AddRange(grant.Ids.Select(id => new UserCreditor { UserId = user.Id, CreditorId = id }));
            user.AllCreditors = grant.All;
            var described = await CreditorGrant.DescribeAsync(db, grant.All, grant.Ids, cancellationToken);
            return Result(await users.UpdateAsync(user), $"{user.Email} now acts for {(grant.All ? "every creditor" : described)}.", $"creditors={described}");
        }, cancellationToken);

    /// <summary>Sets the password given, or a generated one that the outcome carries (to be shown once).</summary>
    public static Task<CredentialOutcome> ResetPasswordAsync(IServiceProvider services, string email, string? password, string actor, CancellationToken cancellationToken) =>
        ChangeAsync(services, email, actor, AuditLog.Actions.UserResetPassword, async (users, user) =>
        {
            var secret = password ?? GeneratePassword();
            // Remove and add in the one transaction (a refused password rolls both back); a reset token would need the
            // data-protection key ring, which on a fresh SQLite file is written through another connection and would wait on this one.
            var removed = await users.RemovePasswordAsync(user);
            var result = removed.Succeeded ? await users.AddPasswordAsync(user, secret) : removed;
            return Result(result, $"Reset the password of {user.Email}; their sessions have ended.") with { Secret = password is null ? secret : null };
        }, cancellationToken);

    private sealed record Step(string? Error, string Summary, string? Detail = null, string? Secret = null);

    private static Step Refuse(string reason) => new(reason, "");

    private static Step Result(IdentityResult result, string summary, string? detail = null) =>
        result.Succeeded ? new Step(null, summary, detail) : new Step(string.Join(" ", result.Errors.Select(e => e.Description)), "");

    private static bool IsSelf(string actor, DunwellUser user) => string.Equals(actor, $"user:{user.Email}", StringComparison.OrdinalIgnoreCase);

    /// <summary>Finds the user, applies the change, renews the stamp and writes the audit event, all in one transaction.</summary>
    private static async Task<CredentialOutcome> ChangeAsync(
        IServiceProvider services, string email, string actor, string action, Func<UserManager<DunwellUser>, DunwellUser, Task<Step>> change,
        CancellationToken cancellationToken, bool renewStamp = true)
    {
        var db = services.GetRequiredService<DunwellDb>();
        var users = services.GetRequiredService<UserManager<DunwellUser>>();
        if (await FindAsync(services, email) is not { } user)
        {
            return new CredentialOutcome.Refused($"No user with email '{email}'.");
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var step = await change(users, user);
        if (step.Error is not null)
        {
            return new CredentialOutcome.Refused(step.Error);
        }

        if (renewStamp)
        {
            await users.UpdateSecurityStampAsync(user);
        }

        AuditLog.Add(db, actor, action, $"user:{user.Email}", services.GetRequiredService<TimeProvider>().Now(), step.Detail);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new CredentialOutcome.Done(step.Summary, step.Secret);
    }
}
