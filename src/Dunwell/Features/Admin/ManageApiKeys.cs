using Dunwell.Data;
using Dunwell.Features.Creditors;
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
        var (key, refused) = await FindLiveAsync(db, nameOrPrefix, cancellationToken);
        if (key is null)
        {
            return refused!;
        }

        key.RevokedAt = now;
        AuditLog.Add(db, actor, AuditLog.Actions.ApiKeyRevoke, $"apikey:{key.Name}", now, $"prefix={key.Prefix}");
        await db.SaveChangesAsync(cancellationToken);
        return new CredentialOutcome.Done($"Revoked API key '{key.Name}': it is refused from its next request on.");
    }

    /// <summary>
    /// Changes the creditors a key acts for. The key is read on every request, so its very next request is scoped by
    /// the new set; the integration keeps its secret.
    /// </summary>
    public static async Task<CredentialOutcome> SetCreditorsAsync(
        DunwellDb db, string nameOrPrefix, CreditorGrant grant, string actor, Instant now, CancellationToken cancellationToken)
    {
        var (key, refused) = await FindLiveAsync(db, nameOrPrefix, cancellationToken);
        if (key is null)
        {
            return refused!;
        }

        db.Set<ApiKeyCreditor>().RemoveRange(await db.Set<ApiKeyCreditor>().Where(g => g.ApiKeyId == key.Id).ToListAsync(cancellationToken));
        db.Set<ApiKeyCreditor>().AddRange(grant.Ids.Select(id => new ApiKeyCreditor { ApiKeyId = key.Id, CreditorId = id }));
        key.AllCreditors = grant.All;
        var described = await CreditorGrant.DescribeAsync(db, grant.All, grant.Ids, cancellationToken);
        AuditLog.Add(db, actor, AuditLog.Actions.ApiKeySetCreditors, $"apikey:{key.Name}", now, $"creditors={described}");
        await db.SaveChangesAsync(cancellationToken);
        return new CredentialOutcome.Done($"API key '{key.Name}' now acts for {(grant.All ? "every creditor" : described)}, from its next request on.");
    }

    private static async Task<(ApiKey? Key, CredentialOutcome.Refused? Refused)> FindLiveAsync(DunwellDb db, string nameOrPrefix, CancellationToken cancellationToken)
    {
        var key = await db.ApiKeys.SingleOrDefaultAsync(k => k.Name == nameOrPrefix, cancellationToken)
            ?? await db.ApiKeys.SingleOrDefaultAsync(k => k.Prefix == nameOrPrefix, cancellationToken);
        if (key is null)
        {
            return (null, new CredentialOutcome.Refused($"No API key named '{nameOrPrefix}'."));
        }

        return key.RevokedAt is { } revokedAt
            ? (null, new CredentialOutcome.Refused($"API key '{key.Name}' was already revoked at {revokedAt:yyyy-MM-dd HH:mm} UTC."))
            : (key, null);
    }
}
