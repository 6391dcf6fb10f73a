namespace Dunwell.Domain.Ledger;

/// <summary>
/// A payment larger than what is owed leaves the account in credit (the creditor owes the difference back). That is
/// allowed only when the caller says it is an overpayment, so a mistyped amount cannot silently make a credit.
/// </summary>
public static class Overpayment
{
    /// <summary>How much of <paramref name="amountMinor"/> is more than the balance; zero when it is not. A balance already nil or in credit is owed nothing.</summary>
    public static long Excess(Components balance, long amountMinor) => Math.Max(0, amountMinor - Math.Max(0, balance.Total));

    /// <summary>The credit a balance stands at (what is owed back), as a positive amount; zero while anything or nothing is owed.</summary>
    public static long Credit(long balanceTotal) => balanceTotal < 0 ? -balanceTotal : 0;
}
