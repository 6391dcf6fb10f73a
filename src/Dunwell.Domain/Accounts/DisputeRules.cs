namespace Dunwell.Domain.Accounts;

/// <summary>A dispute as the rules see it: the amount disputed (null for the whole debt) and whether verification was sent.</summary>
public readonly record struct DisputeState(long? AmountMinor, bool Verified);

/// <summary>
/// What a dispute does to an account's status and how much of the balance is disputed. A dispute of the whole debt (no
/// amount, or the whole balance) puts a collectable account on hold as Disputed; once verification of every dispute has
/// been sent the account goes back to collection: in arrangement if an arrangement is active, paid if nothing is owed,
/// else active. A dispute of part of the debt leaves the status alone (the disputed part is held, the rest is not).
/// </summary>
public static class DisputeRules
{
    /// <summary>True when the dispute covers everything owed: no amount given, or at least the balance.</summary>
    public static bool CoversWholeDebt(long? amountMinor, long balanceMinor) => amountMinor is not { } amount || amount >= balanceMinor;

    public static AccountStatus StatusAfterDispute(AccountStatus current, long? amountMinor, long balanceMinor) =>
        current is AccountStatus.Active or AccountStatus.InArrangement && CoversWholeDebt(amountMinor, balanceMinor)
            ? AccountStatus.Disputed
            : current;

    /// <summary>The status once a dispute's verification is sent; <paramref name="openLeft"/> counts the disputes still waiting for it.</summary>
    public static AccountStatus StatusAfterVerification(AccountStatus current, int openLeft, bool activeArrangement, long balanceMinor) =>
        current != AccountStatus.Disputed || openLeft > 0 ? current
        : activeArrangement ? AccountStatus.InArrangement
        : balanceMinor <= 0 ? AccountStatus.Paid
        : AccountStatus.Active;

    /// <summary>
    /// How much of the balance is disputed and not yet verified: all of it when an open dispute covers the whole debt,
    /// else the open amounts added up, never more than the balance (and never below zero).
    /// </summary>
    public static long OpenAmount(IEnumerable<DisputeState> disputes, long balanceMinor)
    {
        ArgumentNullException.ThrowIfNull(disputes);
        var owed = Math.Max(0, balanceMinor);
        var open = disputes.Where(d => !d.Verified).ToList();
        if (open.Any(d => CoversWholeDebt(d.AmountMinor, balanceMinor)))
        {
            return owed;
        }

        return Math.Min(owed, open.Sum(d => d.AmountMinor!.Value));
    }
}
