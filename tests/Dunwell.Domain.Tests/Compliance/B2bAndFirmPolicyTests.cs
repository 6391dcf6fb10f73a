using Dunwell.Domain.Accounts;
using Dunwell.Domain.Compliance;
using NodaTime;
using static Dunwell.Domain.Tests.Compliance.Scenario;

namespace Dunwell.Domain.Tests.Compliance;

public sealed class B2bAndFirmPolicyTests
{
    private static readonly FirmPolicy OfficeHours = new()
    {
        Version = "7",
        Hours = new ContactWindow(new LocalTime(9, 0), new LocalTime(17, 0)),
        NoContactDays = new HashSet<IsoDayOfWeek> { IsoDayOfWeek.Saturday, IsoDayOfWeek.Sunday },
    };

    /// <summary>A company in Berlin whose invoices a UK creditor collects.</summary>
    private static DebtorFacts Company() =>
        new(DebtorKind.Company)
        {
            LocationTimeZone = "Europe/Berlin",
            Contacts = [Phone("mobile", "+493012345678"), Email("email", "ap@firma.example")],
        };

    private static ContactRequest Invoice(ContactChannel channel, Instant at, params ContactEvent[] history) =>
        Send(channel, at, Company(), ContactPurpose.Collection, history) with { Accounts = [new AccountFacts("INV-1", AccountKind.Commercial)] };

    [Fact]
    public void A_commercial_invoice_gets_the_B2B_pack_whatever_the_creditors_jurisdiction()
    {
        Assert.IsType<B2bPack>(RulePacks.Default.Select("UK-FCA", [AccountKind.Commercial]));
        Assert.IsType<UsFdcpaPack>(RulePacks.Default.Select("US-FDCPA", [AccountKind.Commercial, AccountKind.Consumer]));
        Assert.Throws<ArgumentException>(() => RulePacks.Default.Select("FR-XX", [AccountKind.Consumer]));
    }

    [Fact]
    public void Without_a_firm_policy_B2B_has_no_consumer_hours()
    {
        var decision = ComplianceEngine.Decide(Invoice(ContactChannel.Call, At(Berlin, 2026, 3, 14, 3, 0)), "UK-FCA");

        Assert.True(decision.Allowed);
        Assert.Equal("B2B", decision.PackId);
    }

    [Theory]
    [InlineData(8, 59, false)]
    [InlineData(9, 0, true)]
    [InlineData(16, 59, true)]
    [InlineData(17, 0, false)]
    public void Firm_hours_apply_in_the_customers_business_zone(int hour, int minute, bool allowed)
    {
        var decision = ComplianceEngine.Decide(Invoice(ContactChannel.Call, At(Berlin, 2026, 3, 11, hour, minute)), "B2B", OfficeHours);

        Assert.Equal(allowed, decision.Allowed);
        if (!allowed)
        {
            Assert.Equal(["firm.contact-hours"], decision.Rules());
            Assert.Equal("Firm policy v7", decision.Reasons[0].Citation);
        }
    }

    [Fact]
    public void After_Friday_hours_the_next_call_is_Monday_morning_in_Berlin()
    {
        var decision = ComplianceEngine.Decide(Invoice(ContactChannel.Call, At(Berlin, 2026, 3, 13, 17, 30)), "B2B", OfficeHours);

        Assert.Equal(At(Berlin, 2026, 3, 16, 9, 0), decision.NextAllowedAt);
    }

    [Fact]
    public void A_Sunday_ban_refuses_Sunday_and_names_the_day()
    {
        var decision = ComplianceEngine.Decide(Invoice(ContactChannel.Email, At(Berlin, 2026, 3, 15, 11, 0)), "B2B", OfficeHours);

        Assert.Equal(["firm.no-contact-day"], decision.Rules());
        Assert.Contains("Sunday", decision.Reasons[0].Message, StringComparison.Ordinal);
        Assert.Equal(At(Berlin, 2026, 3, 16, 9, 0), decision.NextAllowedAt);
    }

    [Fact]
    public void A_day_that_starts_at_01_00_because_of_a_midnight_clock_change_opens_then()
    {
        // Chile moves its clocks from 00:00 to 01:00 on Sunday 6 September 2026: that day has no midnight.
        var santiago = DateTimeZoneProviders.Tzdb["America/Santiago"];
        var firm = new FirmPolicy { NoContactDays = new HashSet<IsoDayOfWeek> { IsoDayOfWeek.Saturday } };
        var request = Invoice(ContactChannel.Email, At(santiago, 2026, 9, 5, 12, 0)) with
        {
            Debtor = Company() with { LocationTimeZone = "America/Santiago" },
        };

        var decision = ComplianceEngine.Decide(request, "B2B", firm);

        Assert.Equal(Instant.FromUtc(2026, 9, 6, 4, 0), decision.NextAllowedAt);
        Assert.Equal(new LocalTime(1, 0), decision.NextAllowedAt!.Value.InZone(santiago).TimeOfDay);
    }

    [Fact]
    public void The_weekly_cap_is_per_channel()
    {
        var firm = new FirmPolicy { MaxContactsPerWeek = new Dictionary<ContactChannel, int> { [ContactChannel.Email] = 2 } };
        ContactEvent[] twoEmails =
        [
            new(At(Berlin, 2026, 3, 9, 10, 0), ContactChannel.Email, InteractionDirection.Outbound, ContactResult.Sent),
            new(At(Berlin, 2026, 3, 11, 10, 0), ContactChannel.Email, InteractionDirection.Outbound, ContactResult.Sent),
        ];

        var third = ComplianceEngine.Decide(Invoice(ContactChannel.Email, At(Berlin, 2026, 3, 12, 10, 0), twoEmails), "B2B", firm);
        var call = ComplianceEngine.Decide(Invoice(ContactChannel.Call, At(Berlin, 2026, 3, 12, 10, 0), twoEmails), "B2B", firm);

        Assert.Equal(["firm.weekly-cap"], third.Rules());
        Assert.Equal(At(Berlin, 2026, 3, 16, 0, 0), third.NextAllowedAt); // 9 March leaves the seven days on the 16th
        Assert.True(call.Allowed);
    }

    [Fact]
    public void A_disputed_invoice_is_held_when_the_firm_says_so()
    {
        var firm = new FirmPolicy { HoldDisputedAccounts = true };
        var disputed = new AccountFacts("INV-1", AccountKind.Commercial) { Disputes = [new Dispute(At(Berlin, 2026, 3, 2, 9, 0), Written: false)] };
        var request = Invoice(ContactChannel.Email, At(Berlin, 2026, 3, 11, 10, 0)) with { Accounts = [disputed] };

        Assert.True(ComplianceEngine.Decide(request, "B2B").Allowed);
        Assert.Equal(["firm.dispute-hold"], ComplianceEngine.Decide(request, "B2B", firm).Rules());
        Assert.True(ComplianceEngine.Decide(request with { Purpose = ContactPurpose.DisputeVerification }, "B2B", firm).Allowed);
    }

    [Fact]
    public void A_company_in_insolvency_is_not_pursued_directly()
    {
        var request = Invoice(ContactChannel.Email, At(Berlin, 2026, 3, 11, 10, 0)) with
        {
            Debtor = Company() with { Flags = [new DebtorFlag(DebtorFlagKind.Bankruptcy, At(Berlin, 2026, 3, 1, 0, 0))] },
        };

        Assert.Equal(["b2b.insolvency"], ComplianceEngine.Decide(request, "B2B").Rules());
    }

    [Fact]
    public void A_B2B_customer_with_no_zone_is_evaluated_in_the_creditors_zone()
    {
        var request = Invoice(ContactChannel.Email, Instant.FromUtc(2026, 3, 11, 8, 30)) with
        {
            Debtor = new DebtorFacts(DebtorKind.Company) { Contacts = [Email("email", "ap@firma.example")] },
            CreditorTimeZone = "Europe/Berlin",
        };

        var decision = ComplianceEngine.Decide(request, "B2B", OfficeHours);

        Assert.Equal(["Europe/Berlin"], decision.Zones);
        Assert.True(decision.Allowed); // 09:30 in Berlin
    }

    [Fact]
    public void A_firm_policy_wider_than_the_pack_is_refused_and_a_narrower_one_accepted()
    {
        var wide = new FirmPolicy { Hours = new ContactWindow(new LocalTime(7, 0), new LocalTime(22, 0)) };

        Assert.Contains(wide.Problems(RulePacks.Default.Us), p => p.Field == "hours");
        Assert.Contains(wide.Problems(RulePacks.Default.Uk), p => p.Field == "hours");
        Assert.Empty(wide.Problems(RulePacks.Default.B2b));
        Assert.Empty(OfficeHours.Problems(RulePacks.Default.Us));
        Assert.Contains(new FirmPolicy { Hours = new ContactWindow(new LocalTime(8, 0), new LocalTime(21, 0), ClosingInstantAllowed: true) }.Problems(RulePacks.Default.Uk with { ReasonableHours = new ContactWindow(new LocalTime(8, 0), new LocalTime(21, 0)) }), p => p.Field == "hours");
        Assert.Contains(new FirmPolicy { NoContactDays = new HashSet<IsoDayOfWeek>(Enum.GetValues<IsoDayOfWeek>().Where(d => d != IsoDayOfWeek.None)) }.Problems(RulePacks.Default.B2b), p => p.Field == "noContactDays");
    }

    [Fact]
    public void Even_a_firm_policy_with_wider_hours_cannot_allow_what_the_pack_refuses()
    {
        var wide = new FirmPolicy { Hours = new ContactWindow(new LocalTime(6, 0), new LocalTime(23, 0)) };

        var decision = Us(Call(At(NewYork, 2026, 1, 12, 7, 0)), wide);

        Assert.Equal(["us.reg-f.inconvenient-time"], decision.Rules());
        Assert.Equal(At(NewYork, 2026, 1, 12, 8, 0), decision.NextAllowedAt);
    }

    [Fact]
    public void A_firm_policy_adds_its_refusals_to_the_packs()
    {
        var decision = Us(Call(At(NewYork, 2026, 1, 11, 7, 0)), OfficeHours); // a Sunday, before hours

        Assert.Equal(["us.reg-f.inconvenient-time", "firm.contact-hours", "firm.no-contact-day"], decision.Rules());
        Assert.Equal(At(NewYork, 2026, 1, 12, 9, 0), decision.NextAllowedAt);
    }
}
