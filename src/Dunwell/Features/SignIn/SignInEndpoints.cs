using Dunwell.Data;
using Microsoft.AspNetCore.Identity;

namespace Dunwell.Features.SignIn;

/// <summary><c>POST /signout</c>: ends the session. A form post with an antiforgery token, so no other site can sign people out.</summary>
internal static class SignInEndpoints
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost("/signout", async (IFormCollection form, SignInManager<DunwellUser> signIn) =>
            {
                _ = form; // bound so that the antiforgery token in the form is checked
                await signIn.SignOutAsync();
                return TypedResults.Redirect("/signin?signedOut=1");
            })
            .RequireAuthorization();
}
