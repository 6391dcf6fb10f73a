using Dunwell.Domain.Accounts;
using NodaTime;

namespace Dunwell.Domain.Compliance;

/// <summary>
/// Commercial (B2B) invoices: consumer collection law does not apply, so the pack itself only stops collection from a
/// customer in an insolvency procedure and honours the customer's own "not this number", "not by email". Hours,
/// frequency caps and holds on disputed invoices come from the firm policy, evaluated in the customer's business zone.
/// </summary>
public sealed record B2bPack() : RulePack(RulePacks.B2bId, "2026.2")
{
    public override ContactWindow? Hours => null;

    /// <summary>None: a customer whose zone is unknown is evaluated in the creditor's zone.</summary>
    public override IReadOnlyList<string> UnknownLocationZones => [];

    public override IReadOnlyList<PackConstant> Constants() =>
    [
        new("Consumer rules", "none: hours, caps and dispute holds come from the firm policy", "FDCPA 15 U.S.C. 1692a(5); CONC 7.1.1R (consumer debts only)"),
        new("Opt-outs", "honoured: a number, address or medium the customer asked you not to use", OptOutCitation),
    ];

    /// <summary>No statute asks it of business debts; a customer's wish is honoured as a matter of practice, and no firm policy can switch it off.</summary>
    public const string OptOutCitation = "The customer's request (no statute for business debts; Dunwell practice)";

    internal override void Evaluate(Evaluation e, Instant at, Findings f)
    {
        OptOuts(e, at, f);
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

    private static void OptOuts(Evaluation e, Instant at, Findings f)
    {
        if (e.Purpose is ContactPurpose.RequiredByLaw or ContactPurpose.OptOutConfirmation || e.IsOneReplyTo(at))
        {
            return;
        }

        if (e.Destination is { OptedOutAt: { } optedOut } to && optedOut <= at)
        {
            var noun = Evaluation.ContactNoun(to);
            f.BlockForGood("b2b.opt-out", OptOutCitation, $"The customer asked on {e.Date(optedOut)} not to be contacted at this {noun}.",
                $"The {noun} stays off limits until the customer opts back in.");
        }

        foreach (var optOut in e.Request.Debtor.MediumOptOuts.Where(o => o.Medium == e.Channel && o.InForceAt(at)))
        {
            f.Block("b2b.opt-out", OptOutCitation, $"On {e.Date(optOut.At)} the customer asked you not to use {Evaluation.ChannelNoun(e.Channel)}.",
                optOut.WithdrawnAt, $"Use another medium; {Evaluation.ChannelNoun(e.Channel)} stay off limits until the customer says otherwise.");
        }
    }
}
