using Dunwell.Data;
using Dunwell.Web;
using Microsoft.AspNetCore.Identity;

namespace Dunwell.Features.SignIn;

/// <summary><c>POST /signout</c>: ends the session. A form post with an antiforgery token, so no other site can sign people out.</summary>
internal static class SignInEndpoints
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost("/signout", async (IFormCollection form, HttpContext http, SignInManager<DunwellUser> signIn, DunwellDb db, TimeProvider clock) =>
            {
                _ = form; // bound so that the antiforgery token in the form is checked

                // Deleting the cookie in this browser is not enough: a copy of it (another tab's device, a stolen one) would
                // still be valid for hours. A new security stamp makes every cookie issued before now fail on its next request.
                if (await signIn.UserManager.GetUserAsync(http.User) is { } user)
                {
                    await signIn.UserManager.UpdateSecurityStampAsync(user);
                    AuditLog.Add(db, http.User, AuditLog.Actions.SignOut, $"user:{user.Email}", clock.Now());
                    await db.SaveChangesAsync(http.RequestAborted);
                }

                await signIn.SignOutAsync();
                return TypedResults.Redirect("/signin?signedOut=1");
            })
            .RequireAuthorization();
}
