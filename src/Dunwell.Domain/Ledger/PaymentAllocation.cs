namespace Dunwell.Domain.Ledger;

public enum Component
{
    Principal,
    Interest,
    Fees,
}

/// <summary>
/// How a payment reduces a balance: by default fees first, then interest, then principal (the order most creditor
/// agreements state); a jurisdiction pack may set another order. Whatever exceeds the balance reduces principal
/// below zero, leaving a credit to refund.
/// </summary>
public static class PaymentAllocation
{
    public static IReadOnlyList<Component> DefaultOrder { get; } = [Component.Fees, Component.Interest, Component.Principal];

    /// <returns>The entry to post: every component zero or negative, adding up to minus <paramref name="amountMinor"/>.</returns>
    public static Components Allocate(Components balance, long amountMinor, IReadOnlyList<Component>? order = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(amountMinor);
        order ??= DefaultOrder;
        if (order.Count != 3 || order.Distinct().Count() != 3)
        {
            throw new ArgumentException("An allocation order names each component once.", nameof(order));
        }

        var left = amountMinor;
        long principal = 0, interest = 0, fees = 0;
        foreach (var component in order)
        {
            var owed = component switch
            {
                Component.Principal => balance.Principal,
                Component.Interest => balance.Interest,
                Component.Fees => balance.Fees,
            };
            var taken = Math.Min(Math.Max(owed, 0), left);
            left -= taken;
            _ = component switch
            {
                Component.Principal => principal = taken,
                Component.Interest => interest = taken,
                Component.Fees => fees = taken,
            };
        }

        principal += left; // the rest, including any overpayment
        return new Components(-principal, -interest, -fees);
    }
}
