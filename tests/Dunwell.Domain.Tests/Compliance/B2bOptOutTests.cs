using Dunwell.Domain.Accounts;
using Dunwell.Domain.Compliance;
using NodaTime;
using static Dunwell.Domain.Tests.Compliance.Scenario;

namespace Dunwell.Domain.Tests.Compliance;

/// <summary>
/// A commercial customer's opt-outs: no statute asks it of business debts, and the B2B pack honours them all the same,
/// with or without a firm policy, which cannot switch them off. 11 March 2026 is a Wednesday.
/// </summary>
public sealed class B2bOptOutTests
{
    private static readonly FirmPolicy Firm = new() { Version = "4" };

    private static readonly Instant OptedOut = At(Berlin, 2026, 3, 2, 9, 15);

    private static readonly Instant Wednesday = At(Berlin, 2026, 3, 11, 10, 0);

    private static DebtorFacts Company(ContactPoint? phone = null, params MediumOptOut[] optOuts) =>
        new(DebtorKind.Company)
        {
            LocationTimeZone = "Europe/Berlin",
            Contacts = [phone ?? Phone("mobile", "+493012345678"), Email("email", "ap@firma.example")],
            MediumOptOuts = optOuts,
        };

    private static ContactRequest Invoice(ContactChannel channel, Instant at, DebtorFacts debtor, ContactPurpose purpose = ContactPurpose.Collection) =>
        Send(channel, at, debtor, purpose) with { Accounts = [new AccountFacts("INV-1", AccountKind.Commercial)] };

    private static ContactDecision B2b(ContactRequest request, FirmPolicy? firm) => ComplianceEngine.Decide(request, "UK-FCA", firm);

    private static DebtorFacts OptedOutOfTheNumber() => Company(Phone("mobile", "+493012345678") with { OptedOutAt = OptedOut });

    [Fact]
    public void A_number_the_customer_opted_out_of_is_refused_for_good()
    {
        var decision = B2b(Invoice(ContactChannel.Call, Wednesday, OptedOutOfTheNumber()), Firm);

        Assert.Equal("B2B", decision.PackId);
        Assert.Equal(["b2b.opt-out"], decision.Rules());
        Assert.Equal(B2bPack.OptOutCitation, decision.Reasons[0].Citation);
        Assert.Null(decision.NextAllowedAt);
        Assert.Contains("opts back in", decision.NoNextAllowedBecause, StringComparison.Ordinal);
    }

    [Fact]
    public void An_opt_out_of_one_number_leaves_the_customers_email_open()
    {
        Assert.True(B2b(Invoice(ContactChannel.Email, Wednesday, OptedOutOfTheNumber()), Firm).Allowed);
    }

    [Fact]
    public void A_number_opt_out_applies_from_the_instant_it_was_recorded()
    {
        var debtor = OptedOutOfTheNumber();

        Assert.True(B2b(Invoice(ContactChannel.Call, OptedOut - Duration.FromSeconds(1), debtor), Firm).Allowed);
        Assert.False(B2b(Invoice(ContactChannel.Call, OptedOut, debtor), Firm).Allowed);
    }

    [Fact]
    public void An_opt_out_of_a_medium_is_refused_until_the_customer_withdraws_it()
    {
        var withdrawn = At(Berlin, 2026, 3, 16, 14, 45);
        var debtor = Company(optOuts: new MediumOptOut(ContactChannel.Email, OptedOut, withdrawn));

        var email = B2b(Invoice(ContactChannel.Email, Wednesday, debtor), Firm);

        Assert.Equal(["b2b.opt-out"], email.Rules());
        Assert.Equal(Instant.FromUtc(2026, 3, 16, 13, 45), email.NextAllowedAt);
        Assert.True(B2b(Invoice(ContactChannel.Call, Wednesday, debtor), Firm).Allowed);
    }

    [Fact]
    public void An_opt_out_of_a_medium_with_no_withdrawal_gives_no_next_time()
    {
        var debtor = Company(optOuts: new MediumOptOut(ContactChannel.Sms, OptedOut));

        var text = B2b(Invoice(ContactChannel.Sms, Wednesday, debtor), Firm);

        Assert.Equal(["b2b.opt-out"], text.Rules());
        Assert.Null(text.NextAllowedAt);
    }

    [Fact]
    public void The_confirmation_of_an_opt_out_may_still_go_through_that_medium()
    {
        var debtor = Company(optOuts: new MediumOptOut(ContactChannel.Email, OptedOut));

        Assert.True(B2b(Invoice(ContactChannel.Email, OptedOut + Duration.FromMinutes(5), debtor, ContactPurpose.OptOutConfirmation), Firm).Allowed);
    }

    [Fact]
    public void One_reply_may_go_to_the_customer_who_wrote_through_the_medium_they_opted_out_of()
    {
        var debtor = Company(optOuts: new MediumOptOut(ContactChannel.Email, OptedOut));
        var reply = Invoice(ContactChannel.Email, Wednesday, debtor) with { InResponseTo = Wednesday - Duration.FromHours(1) };
        var another = reply with
        {
            At = Wednesday + Duration.FromHours(2),
            History = [new ContactEvent(Wednesday, ContactChannel.Email, InteractionDirection.Outbound, ContactResult.Sent)],
        };

        Assert.True(B2b(reply, Firm).Allowed);
        Assert.Equal(["b2b.opt-out"], B2b(another, Firm).Rules());
    }

    [Fact]
    public void Without_a_firm_policy_a_B2B_opt_out_is_honoured_all_the_same()
    {
        Assert.Equal(["b2b.opt-out"], B2b(Invoice(ContactChannel.Call, Wednesday, OptedOutOfTheNumber()), firm: null).Rules());
    }
}
