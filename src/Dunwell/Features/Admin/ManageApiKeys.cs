using Dunwell.Data;
using Dunwell.Web;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Dunwell.Features.Admin;

public sealed record ApiKeyRow(long Id, string Name, string Prefix, string Role, string Creditors, Instant CreatedAt, Instant? RevokedAt);

/// <summary>
/// Listing and revoking API keys, shared by <c>dunwell apikeys …</c> and /admin/apikeys. A revoked key is refused on its
/// very next request: the key is looked up on every request (<see cref="Web.Auth.ApiKeyAuthentication"/>), never cached.
/// </summary>
public static class ManageApiKeys
{
    public static async Task<IReadOnlyList<ApiKeyRow>> ListAsync(DunwellDb db, CancellationToken cancellationToken)
    {
        var keys = await db.ApiKeys.AsNoTracking().Include(k => k.Creditors).OrderBy(k => k.Name).ToListAsync(cancellationToken);
        var references = await db.Creditors.IgnoreQueryFilters().AsNoTracking().ToDictionaryAsync(c => c.Id, c => c.Reference, cancellationToken);
        return [.. keys.Select(k => new ApiKeyRow(k.Id, k.Name, k.Prefix, k.Role,
            k.AllCreditors ? "*" : string.Join(",", k.Creditors.Select(c => references.GetValueOrDefault(c.CreditorId, $"#{c.CreditorId}")).Order(StringComparer.Ordinal)),
            k.CreatedAt, k.RevokedAt))];
    }

    /// <summary>Revokes the key with this name (or public prefix); a key stays listed, revoked, so the audit trail's names keep meaning.</summary>
    public static async Task<CredentialOutcome> RevokeAsync(DunwellDb db, string nameOrPrefix, string actor, Instant now, CancellationToken cancellationToken)
    {
        var key = await db.ApiKeys.SingleOrDefaultAsync(k => k.Name == nameOrPrefix, cancellationToken)
            ?? await db.ApiKeys.SingleOrDefaultAsync(k => k.Prefix == nameOrPrefix, cancellationToken);
        if (key is null)
        {
            return new CredentialOutcome.Refused($"No API key named '{nameOrPrefix}'.");
        }

        if (key.RevokedAt is { } revokedAt)
        {
            return new CredentialOutcome.Refused($"API key '{key.Name}' was already revoked at {revokedAt:yyyy-MM-dd HH:mm} UTC.");
        }

        key.RevokedAt = now;
        AuditLog.Add(db, actor, AuditLog.Actions.ApiKeyRevoke, $"apikey:{key.Name}", now, $"prefix={key.Prefix}");
        await db.SaveChangesAsync(cancellationToken);
        return new CredentialOutcome.Done($"Revoked API key '{key.Name}': it is refused from its next request on.");
    }
}
