namespace Dunwell.Features.SignIn;

/// <summary>Where to send someone after signing in: only a path on this site, never another host (no open redirects).</summary>
public static class LocalUrl
{
    public static string OrHome(string? url) => IsLocal(url) ? url! : "/";

    public static bool IsLocal(string? url) =>
        url is { Length: > 0 }
        && url[0] == '/'
        && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'))
        && !url.Any(char.IsControl);
}
