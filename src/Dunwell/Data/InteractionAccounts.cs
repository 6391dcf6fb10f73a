using System.Globalization;
using System.Linq.Expressions;

namespace Dunwell.Data;

/// <summary>
/// The accounts an interaction was about: the one it is recorded on (<see cref="Interaction.AccountId"/>, whose chain
/// holds it) and any others of the same debtor it was also about, stored in <see cref="Interaction.AlsoAbout"/>.
/// </summary>
public static class InteractionAccounts
{
    /// <summary>How many accounts one interaction may name: enough for any conversation about a debtor's debts.</summary>
    public const int MaxAccounts = 50;

    /// <summary>The stored column's length: <see cref="MaxAccounts"/> ids of up to 19 digits with their commas.</summary>
    public const int MaxStored = MaxAccounts * 20;

    /// <summary>The stored form of the other accounts: ids ascending, separated by commas; null when there are none.</summary>
    public static string? Format(long accountId, IEnumerable<long> accounts)
    {
        var others = accounts.Where(a => a != accountId).Distinct().Order().ToList();
        return others.Count == 0 ? null : string.Join(',', others.Select(a => a.ToString(CultureInfo.InvariantCulture)));
    }

    /// <summary>The other accounts of a stored value; empty for null.</summary>
    public static IReadOnlyList<long> Parse(string? alsoAbout) =>
        string.IsNullOrEmpty(alsoAbout) ? [] : [.. alsoAbout.Split(',').Select(a => long.Parse(a, NumberStyles.None, CultureInfo.InvariantCulture))];

    /// <summary>Every account the interaction was about, the one it is recorded on first.</summary>
    public static IReadOnlyList<long> All(long accountId, string? alsoAbout) => [accountId, .. Parse(alsoAbout)];

    /// <summary>
    /// The interactions about <paramref name="accountId"/> (a debtor's account): recorded on it, or also about it. The
    /// second half is read through the debtor's index, since every account an interaction names is that debtor's.
    /// </summary>
    public static Expression<Func<Interaction, bool>> About(long accountId, long debtorId)
    {
        var marker = string.Create(CultureInfo.InvariantCulture, $",{accountId},");
        return i => i.AccountId == accountId || (i.DebtorId == debtorId && i.AlsoAbout != null && ("," + i.AlsoAbout + ",").Contains(marker));
    }
}
