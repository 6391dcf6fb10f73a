using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace Dunwell.Web;

/// <summary>
/// What a form post tells the page it redirects to ("Approved.", or why not). It travels in the address, so it is
/// signed and encrypted with the app's data-protection keys and lives ten minutes: the page shows only text this app
/// wrote, never words someone put in a link (STYLE: nothing from the address bar is shown as our own).
/// </summary>
public static class SignedNotice
{
    private const string Purpose = "Dunwell.Web.SignedNotice";

    /// <summary>A redirect to <paramref name="path"/> carrying <paramref name="message"/>, signed, as query parameter <paramref name="name"/>.</summary>
    public static IResult Redirect(HttpContext http, string path, string name, string message, string? fragment = null) =>
        Results.Redirect($"{path}?{name}={Uri.EscapeDataString(Protector(http, name).Protect(message, TimeSpan.FromMinutes(10)))}{(fragment is null ? "" : "#" + fragment)}");

    /// <summary>The signed message in query parameter <paramref name="name"/>, or null when there is none or it is forged, altered or expired.</summary>
    public static string? FromQuery(HttpContext http, string name)
    {
        var token = http.Request.Query[name].ToString();
        if (token.Length == 0)
        {
            return null;
        }

        try
        {
            return Protector(http, name).Unprotect(token, out _);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    // Bound to the parameter and the signed-in caller: a notice cannot be replayed under another name or shown to someone else.
    private static ITimeLimitedDataProtector Protector(HttpContext http, string name) =>
        http.RequestServices.GetRequiredService<IDataProtectionProvider>().CreateProtector(Purpose, name, Auth.Actor.Of(http.User)).ToTimeLimitedDataProtector();
}
