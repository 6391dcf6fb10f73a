namespace Dunwell.Domain.Ledger;

/// <summary>
/// An amount split by component, in minor units of the account's currency. On a ledger entry a positive
/// component increases what is owed and a negative one reduces it; a balance is the sum of its entries.
/// </summary>
public readonly record struct Components(long Principal, long Interest, long Fees)
{
    public static Components None { get; } = new(0, 0, 0);

    public long Total => Principal + Interest + Fees;

    public static Components operator +(Components a, Components b) =>
        new(a.Principal + b.Principal, a.Interest + b.Interest, a.Fees + b.Fees);

    public static Components operator -(Components a) => new(-a.Principal, -a.Interest, -a.Fees);

    /// <summary>The balance: the plain sum of every entry, reversals included.</summary>
    public static Components Sum(IEnumerable<Components> entries)
    {
        var total = None;
        foreach (var entry in entries)
        {
            total += entry;
        }

        return total;
    }
}
