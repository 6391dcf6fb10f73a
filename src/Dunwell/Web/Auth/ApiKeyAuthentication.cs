using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Dunwell.Data;
using Dunwell.Domain.Accounts;
using Dunwell.Features.Creditors;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NodaTime;

namespace Dunwell.Web.Auth;

/// <summary>
/// API keys as bearer tokens: <c>dwk_{prefix}.{secret}</c>. The prefix finds the row; only a SHA-256 of the
/// whole key is stored, compared in constant time. The key's role becomes the caller's role.
/// </summary>
public sealed class ApiKeyAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    DunwellDb db) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string KeyNameClaim = "dunwell:apikey";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        var presented = header["Bearer ".Length..].Trim();
        if (ApiKeys.PrefixOf(presented) is not { } prefix)
        {
            return AuthenticateResult.Fail("The bearer token is not a Dunwell API key.");
        }

        var key = await db.ApiKeys.AsNoTracking()
            .Where(k => k.Prefix == prefix && k.RevokedAt == null)
            .Select(k => new { k.Name, k.Role, k.SecretHash, k.AllCreditors, Creditors = k.Creditors.Select(c => c.CreditorId).ToList() })
            .SingleOrDefaultAsync(Context.RequestAborted);
        if (key is null || !CryptographicOperations.FixedTimeEquals(
                Encoding.ASCII.GetBytes(ApiKeys.Hash(presented)), Encoding.ASCII.GetBytes(key.SecretHash)))
        {
            return AuthenticateResult.Fail("Unknown or revoked API key.");
        }

        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.Name, key.Name), new Claim(ClaimTypes.Role, key.Role), new Claim(KeyNameClaim, key.Name),
                new Claim(CreditorScope.ClaimType, CreditorScope.ClaimValue(key.AllCreditors, key.Creditors)),
            ],
            SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }
}

public static class ApiKeys
{
    private const string Marker = "dwk_";

    /// <summary>Creates a key acting for the creditors granted and returns it; this is the only time the secret is ever visible.</summary>
    public static async Task<string> CreateAsync(DunwellDb db, string name, string role, CreditorGrant creditors, Instant now, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > 100)
        {
            throw new ArgumentException("An API key needs a name of 1 to 100 characters.", nameof(name));
        }

        if (!Roles.All.Contains(role))
        {
            throw new ArgumentException($"Unknown role '{role}'. Use one of: {string.Join(", ", Roles.All)}.", nameof(role));
        }

        if (await db.ApiKeys.AnyAsync(k => k.Name == name, cancellationToken))
        {
            throw new ArgumentException($"An API key named '{name}' already exists.", nameof(name));
        }

        // About one prefix in eighteen thousand is sixteen decimal digits that pass Luhn: a card number to every scanner
        // (ours, a customer's DLP), in the key table and the audit. Such a prefix is drawn again.
        string prefix;
        do
        {
            prefix = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        }
        while (Domain.Privacy.CardNumbers.Contains(prefix));

        var secret = Base64Url(RandomNumberGenerator.GetBytes(32));
        var key = $"{Marker}{prefix}.{secret}";
        db.ApiKeys.Add(new ApiKey
        {
            Name = name,
            Role = role,
            Prefix = prefix,
            SecretHash = Hash(key),
            CreatedAt = now,
            AllCreditors = creditors.All,
            Creditors = [.. creditors.Ids.Select(id => new ApiKeyCreditor { CreditorId = id })],
        });
        await db.SaveChangesAsync(cancellationToken);
        return key;
    }

    public static string? PrefixOf(string key)
    {
        if (!key.StartsWith(Marker, StringComparison.Ordinal))
        {
            return null;
        }

        var dot = key.IndexOf('.', StringComparison.Ordinal);
        return dot > Marker.Length ? key[Marker.Length..dot] : null;
    }

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
