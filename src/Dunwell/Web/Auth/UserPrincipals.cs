using System.Security.Claims;
using Dunwell.Data;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Dunwell.Web.Auth;

/// <summary>
/// A signed-in person's principal: Identity's name and role claims plus the creditors they act for
/// (<see cref="CreditorScope.ClaimType"/>), read from the database whenever the principal is built.
/// </summary>
internal sealed class UserPrincipals(UserManager<DunwellUser> users, RoleManager<IdentityRole> roles, IOptions<IdentityOptions> options, DunwellDb db)
    : UserClaimsPrincipalFactory<DunwellUser, IdentityRole>(users, roles, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(DunwellUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        var creditors = await db.Set<UserCreditor>().AsNoTracking().Where(g => g.UserId == user.Id).Select(g => g.CreditorId).ToListAsync();
        identity.AddClaim(new Claim(CreditorScope.ClaimType, CreditorScope.ClaimValue(user.AllCreditors, creditors)));
        return identity;
    }

    /// <summary>
    /// Checks every request's cookie against the database: a changed security stamp (sign-out, a disabled user, a reset
    /// password, a changed role) ends the session at once, and a still-valid session gets its role and creditors as they
    /// are now, not as they were at sign-in.
    /// </summary>
    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var signIn = context.HttpContext.RequestServices.GetRequiredService<SignInManager<DunwellUser>>();
        var user = context.Principal is { } principal ? await signIn.ValidateSecurityStampAsync(principal) : null;

        // Disabling renews the stamp too; this also stops a session whose stamp was somehow left as it was.
        if (user is null || Features.Admin.ManageUsers.IsDisabled(user))
        {
            context.RejectPrincipal();
            await signIn.SignOutAsync();
            return;
        }

        context.ReplacePrincipal(await signIn.CreateUserPrincipalAsync(user));
    }
}
