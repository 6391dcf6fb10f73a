using Dunwell.Domain.Accounts;

namespace Dunwell.Domain.Compliance;

/// <summary>
/// Flags that stop contact or collection outright: recording one by mistake silences an account, so a person is told
/// what it will stop and asked to confirm first. The words follow what the rule packs block for each.
/// </summary>
public static class FlagWarnings
{
    /// <summary>What recording <paramref name="kind"/> stops, or null when it needs no confirmation.</summary>
    public static string? Stops(DebtorFlagKind kind) => kind switch
    {
        DebtorFlagKind.CeaseCommunication =>
            "Cease communication stops every call, text, email and letter to this customer about the debt, except a notice that collection is ending or of a specific remedy (and, in the UK, replies to them and notices the law requires). It stays in force until the customer withdraws it.",
        DebtorFlagKind.RepresentedByAttorney =>
            "Represented by attorney stops all contact with the customer about this debt: calls and messages go to their attorney instead, until the flag is ended.",
        DebtorFlagKind.Bankruptcy =>
            "Bankruptcy stops all collection from the customer: no calls, messages or letters asking them to pay, until the case ends and the flag is ended.",
        _ => null,
    };
}
