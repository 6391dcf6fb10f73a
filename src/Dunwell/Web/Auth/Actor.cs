using System.Security.Claims;

namespace Dunwell.Web.Auth;

/// <summary>How a caller is named in records and the audit trail: user:alice@example.com or apikey:crm-sync.</summary>
public static class Actor
{
    public static string Of(ClaimsPrincipal principal)
    {
        if (principal.FindFirstValue(ApiKeyAuthentication.KeyNameClaim) is { } keyName)
        {
            return $"apikey:{keyName}";
        }

        return principal.Identity?.Name is { Length: > 0 } name ? $"user:{name}" : "anonymous";
    }
}
