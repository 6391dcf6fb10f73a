using Dunwell.Domain.Accounts;
using NodaTime;

namespace Dunwell.Domain.Compliance;

/// <summary>
/// Commercial (B2B) invoices: consumer collection law does not apply, so the pack itself only stops collection from a
/// customer in an insolvency procedure. Hours, frequency caps and holds on disputed invoices come from the firm policy,
/// evaluated in the customer's business zone.
/// </summary>
public sealed record B2bPack() : RulePack(RulePacks.B2bId, "2026.1")
{
    public override ContactWindow? Hours => null;

    /// <summary>None: a customer whose zone is unknown is evaluated in the creditor's zone.</summary>
    public override IReadOnlyList<string> UnknownLocationZones => [];

    public override IReadOnlyList<PackConstant> Constants() =>
    [
        new("Consumer rules", "none: hours, caps and dispute holds come from the firm policy", "FDCPA 15 U.S.C. 1692a(5); CONC 7.1.1R (consumer debts only)"),
    ];

    internal override void Evaluate(Evaluation e, Instant at, Findings f)
    {
        if (!e.IsCollectionActivity)
        {
            return;
        }

        foreach (var flag in e.Request.Debtor.Flags.Where(flag => flag.Kind == DebtorFlagKind.Bankruptcy && e.Touches(flag.Accounts) && flag.InForceAt(at)))
        {
            f.Block("b2b.insolvency", "11 U.S.C. 362(a)(6); Insolvency Act 1986 Sch. B1 para. 43",
                $"The customer is in an insolvency procedure (since {e.Date(flag.Since)}): claim through the insolvency office-holder, do not collect directly.",
                flag.Until, "Record when the procedure or its moratorium ends if collection may resume.");
        }
    }
}
