using System.Globalization;
using System.Security.Claims;

namespace Dunwell.Data;

/// <summary>
/// The creditors one unit of work (a request, a batch verb) may see and change. Every query of creditor-owned rows is
/// filtered by it in SQL (<see cref="DunwellDb"/>'s query filters), so a row out of scope reads exactly as a row that
/// does not exist. It starts unset, and a filtered query with no scope set is a bug that fails loudly rather than
/// seeing everything: requests set it from the caller's credential, batch verbs and background work say
/// <see cref="AllowAll"/> themselves.
/// </summary>
public sealed class CreditorScope
{
    /// <summary>The claim carrying a caller's creditors: <c>*</c> for every creditor, else creditor ids separated by commas.</summary>
    public const string ClaimType = "dunwell:creditors";

    public const string Everything = "*";

    private List<long>? _ids;
    private bool _set;

    /// <summary>
    /// The creditor ids in scope, or null for every creditor. Read by the query filters on every query, so it must not
    /// be replaced by another list once queries have run (EF Core caches nothing of it; the value is read each time).
    /// </summary>
    public List<long>? CreditorIds => _set
        ? _ids
        : throw new InvalidOperationException("No creditor scope was set for this unit of work: set it from the caller, or call AllowAll for system work.");

    public bool IsSet => _set;

    /// <summary>True when every creditor is in scope (including creditors created later).</summary>
    public bool IsUnrestricted => _set && _ids is null;

    public bool Includes(long creditorId) => IsUnrestricted || (_set && _ids!.Contains(creditorId));

    /// <summary>
    /// The scope as a SQL condition on <paramref name="column"/> for the bulk paths that bypass EF Core (ids are numbers,
    /// written inline): always true when every creditor is in scope, never true when none is.
    /// </summary>
    public string SqlCondition(string column) => CreditorIds switch
    {
        null => "1 = 1",
        [] => "1 = 0",
        var ids => $"{column} IN ({string.Join(", ", ids.Select(id => id.ToString(CultureInfo.InvariantCulture)))})",
    };

    /// <summary>Every creditor: batch verbs, background work, the system itself.</summary>
    public void AllowAll()
    {
        _ids = null;
        _set = true;
    }

    public void Allow(IEnumerable<long> creditorIds)
    {
        _ids = [.. creditorIds.Distinct().Order()];
        _set = true;
    }

    /// <summary>From a signed-in person or an API key: their <see cref="ClaimType"/> claim; none at all means no creditor.</summary>
    public void SetFrom(ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        if (Parse(principal.FindFirstValue(ClaimType)) is { } parsed)
        {
            if (parsed.All)
            {
                AllowAll();
            }
            else
            {
                Allow(parsed.Ids);
            }
        }
        else
        {
            Allow([]);
        }
    }

    /// <summary>A new scope covering every creditor, for code that builds a context itself (design time, benchmarks).</summary>
    public static CreditorScope Unrestricted()
    {
        var scope = new CreditorScope();
        scope.AllowAll();
        return scope;
    }

    /// <summary>The claim value for a grant: every creditor, or exactly these.</summary>
    public static string ClaimValue(bool all, IEnumerable<long> ids) =>
        all ? Everything : string.Join(',', ids.Order().Select(id => id.ToString(CultureInfo.InvariantCulture)));

    internal static (bool All, List<long> Ids)? Parse(string? claim)
    {
        if (claim is null)
        {
            return null;
        }

        if (claim == Everything)
        {
            return (true, []);
        }

        var ids = new List<long>();
        foreach (var part in claim.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!long.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                return null; // a malformed claim grants nothing
            }

            ids.Add(id);
        }

        return (false, ids);
    }
}
