using System.Text.Json;
using System.Text.Json.Serialization;
using Dunwell.Data;
using Dunwell.Domain.Arrangements;
using Dunwell.Domain.Fees;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using NodaTime.Serialization.SystemTextJson;

namespace Dunwell.Features.CreditorPolicies;

/// <summary>A creditor's policy in force, and the version it came from (null: the built-in default, never saved).</summary>
public sealed record PolicyInForce(CreditorPolicy Policy, long? VersionId, int Version);

/// <summary>One saved version of a creditor's policy: its number, when it was saved and by whom.</summary>
public sealed record PolicyVersionLine(int Version, Instant SavedAt, string SavedBy);

/// <summary>A saved version of a creditor's policy, as it was saved.</summary>
public sealed record SavedPolicy(PolicyVersionLine Saved, CreditorPolicy Policy);

/// <summary>
/// Loads and saves creditor policies. Saving adds a version and never changes an old one, so an arrangement checked
/// against version 3 can be explained by version 3 however the policy changes afterwards.
/// </summary>
public static class PolicyStore
{
    public static JsonSerializerOptions Json { get; } = new JsonSerializerOptions(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false) },
        WriteIndented = false,
        // A policy left partly out is a named 400, not a null that fails later.
        RespectRequiredConstructorParameters = true,
        RespectNullableAnnotations = true,
    }.ConfigureForNodaTime(DateTimeZoneProviders.Tzdb);

    /// <summary>For a policy sent in (API or editor): as <see cref="Json"/>, but an unknown or repeated field is refused with its path.</summary>
    public static JsonSerializerOptions InputJson { get; } = new JsonSerializerOptions(Json)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        AllowDuplicateProperties = false,
    };

    public static async Task<PolicyInForce> CurrentAsync(DunwellDb db, long creditorId, CancellationToken cancellationToken)
    {
        var latest = await db.PolicyVersions.AsNoTracking()
            .Where(v => v.CreditorId == creditorId)
            .OrderByDescending(v => v.Version)
            .Select(v => new { v.Id, v.Version, v.PolicyJson })
            .FirstOrDefaultAsync(cancellationToken);
        return latest is null
            ? new PolicyInForce(CreditorPolicy.Default, null, 0)
            : new PolicyInForce(Read(latest.PolicyJson), latest.Id, latest.Version);
    }

    /// <summary>The creditor's fee terms over time, from every saved version (the day each was saved, in the creditor's calendar).</summary>
    public static async Task<IReadOnlyList<RulePeriod>> FeeTermsAsync(DunwellDb db, long creditorId, DateTimeZone zone, CancellationToken cancellationToken)
    {
        var versions = await db.PolicyVersions.AsNoTracking()
            .Where(v => v.CreditorId == creditorId)
            .OrderBy(v => v.Version)
            .Select(v => new { v.PolicyJson, v.CreatedAt })
            .ToListAsync(cancellationToken);
        return FeeTerms.Periods(versions.Select(v => (Read(v.PolicyJson).Fees, v.CreatedAt.InZone(zone).Date)));
    }

    /// <summary>Every saved version of the creditor's policy, oldest first; the last is the one in force.</summary>
    public static async Task<IReadOnlyList<PolicyVersionLine>> HistoryAsync(DunwellDb db, long creditorId, CancellationToken cancellationToken) =>
        await db.PolicyVersions.AsNoTracking()
            .Where(v => v.CreditorId == creditorId)
            .OrderBy(v => v.Version)
            .Select(v => new PolicyVersionLine(v.Version, v.CreatedAt, v.CreatedBy))
            .ToListAsync(cancellationToken);

    /// <summary>Version <paramref name="version"/> of the creditor's policy as saved, or null when there is no such version.</summary>
    public static async Task<SavedPolicy?> NumberedAsync(DunwellDb db, long creditorId, int version, CancellationToken cancellationToken)
    {
        var saved = await db.PolicyVersions.AsNoTracking()
            .Where(v => v.CreditorId == creditorId && v.Version == version)
            .Select(v => new { v.Version, v.CreatedAt, v.CreatedBy, v.PolicyJson })
            .SingleOrDefaultAsync(cancellationToken);
        return saved is null ? null : new SavedPolicy(new PolicyVersionLine(saved.Version, saved.CreatedAt, saved.CreatedBy), Read(saved.PolicyJson));
    }

    public static async Task<CreditorPolicy> VersionAsync(DunwellDb db, long versionId, CancellationToken cancellationToken) =>
        Read(await db.PolicyVersions.Where(v => v.Id == versionId).Select(v => v.PolicyJson).SingleAsync(cancellationToken));

    /// <summary>Adds a version; the caller has validated the policy. Returns the new version number.</summary>
    public static async Task<CreditorPolicyVersion> SaveAsync(DunwellDb db, long creditorId, CreditorPolicy policy, string actor, Instant now, CancellationToken cancellationToken)
    {
        var last = await db.PolicyVersions.Where(v => v.CreditorId == creditorId).MaxAsync(v => (int?)v.Version, cancellationToken) ?? 0;
        var version = new CreditorPolicyVersion
        {
            CreditorId = creditorId,
            Version = last + 1,
            PolicyJson = JsonSerializer.Serialize(policy, Json),
            CreatedBy = actor,
            CreatedAt = now,
        };
        db.PolicyVersions.Add(version);
        return version;
    }

    public static CreditorPolicy Read(string json) =>
        JsonSerializer.Deserialize<CreditorPolicy>(json, Json) ?? throw new InvalidOperationException("A stored policy is empty.");
}
