namespace Dunwell.Domain.Ledger;

/// <summary>
/// How a payment reduces a balance: fees first, then interest, then principal (the order most creditor
/// agreements state). Whatever exceeds the balance reduces principal below zero, leaving a credit to refund.
/// </summary>
public static class PaymentAllocation
{
    /// <returns>The entry to post: every component zero or negative, adding up to minus <paramref name="amountMinor"/>.</returns>
    public static Components Allocate(Components balance, long amountMinor)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(amountMinor);

        var left = amountMinor;
        var fees = Take(balance.Fees, ref left);
        var interest = Take(balance.Interest, ref left);
        var principal = left; // the rest, including any overpayment
        return new Components(-principal, -interest, -fees);
    }

    private static long Take(long owed, ref long left)
    {
        var taken = Math.Min(Math.Max(owed, 0), left);
        left -= taken;
        return taken;
    }
}
