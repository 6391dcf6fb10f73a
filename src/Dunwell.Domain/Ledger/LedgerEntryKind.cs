namespace Dunwell.Domain.Ledger;

/// <summary>What a ledger entry records. Entries are never changed: a mistake is a <see cref="Reversal"/> naming it.</summary>
public enum LedgerEntryKind
{
    /// <summary>The opening debt as placed by the creditor (principal, interest and fees owed at placement).</summary>
    Charge,
    Interest,
    Fee,
    Payment,
    Reversal,
    Adjustment,
    Waiver,
    SettlementDiscount,
}
