using Dunwell.Domain.Accounts;
using Dunwell.Domain.Amounts;
using Dunwell.Domain.Compliance;
using Dunwell.Domain.Fees;
using NodaTime;
using static Dunwell.Domain.Tests.Compliance.Scenario;

namespace Dunwell.Domain.Tests.Compliance;

public sealed class UkFcaTests
{
    private static DebtorFacts Customer() => Person(Phone("mobile", LondonPhone), Email("email", "sam@example.co.uk"));

    private static ContactRequest UkCall(Instant at, DebtorFacts? debtor = null, params ContactEvent[] history) =>
        Call(at, debtor ?? Customer(), history);

    // Registered Friday 27 February 2026; the moratorium starts the day after: Saturday 28 February is day 1, 28 April is day 60.
    private static readonly BreathingSpace Standard = new(new LocalDate(2026, 2, 28));

    [Fact]
    public void Breathing_space_day_60_is_protected_and_collection_resumes_on_day_61()
    {
        var debtor = Customer() with { BreathingSpaces = [Standard] };

        var day60 = Uk(UkCall(At(London, 2026, 4, 28, 12, 0), debtor));
        var day61 = Uk(UkCall(At(London, 2026, 4, 29, 12, 0), debtor));

        Assert.Equal(["uk.breathing-space.contact"], day60.Rules());
        Assert.Equal("SI 2020/1311 reg. 11", day60.Reasons[0].Citation);
        Assert.Equal(At(London, 2026, 4, 29, 8, 0), day60.NextAllowedAt);
        Assert.True(day61.Allowed);
    }

    [Fact]
    public void A_breathing_space_registered_on_27_February_starts_the_next_day_and_protects_through_28_April()
    {
        // The worked example (SI 2020/1311 reg. 26(1); A10): the register entry is made on Friday 27 February 2026.
        var registered = new LocalDate(2026, 2, 27);
        var space = new BreathingSpace(BreathingSpaces.StartAfterRegisterEntry(registered));
        var debtor = Customer() with { BreathingSpaces = [space] };

        Assert.Equal(new LocalDate(2026, 2, 28), space.Start);
        Assert.Equal(new LocalDate(2026, 4, 28), BreathingSpaces.LastProtectedDay(space));
        Assert.Equal(60, Period.Between(space.Start, new LocalDate(2026, 4, 28), PeriodUnits.Days).Days + 1);
        Assert.True(Uk(UkCall(At(London, 2026, 2, 27, 12, 0), debtor)).Allowed); // the register day itself is before the start
        Assert.Equal(["uk.breathing-space.contact"], Uk(UkCall(At(London, 2026, 2, 28, 12, 0), debtor)).Rules());
        Assert.Equal(["uk.breathing-space.contact"], Uk(UkCall(At(London, 2026, 4, 28, 20, 59), debtor)).Rules());
        Assert.True(Uk(UkCall(At(London, 2026, 4, 29, 8, 0), debtor)).Allowed);
    }

    [Fact]
    public void During_a_breathing_space_replies_to_the_customer_and_required_notices_are_allowed()
    {
        var debtor = Customer() with { BreathingSpaces = [Standard] };
        var at = At(London, 2026, 3, 10, 12, 0);

        Assert.True(Uk(Send(ContactChannel.Email, at, debtor, ContactPurpose.ResponseToConsumerRequest)).Allowed);
        Assert.True(Uk(Send(ContactChannel.Letter, at, debtor, ContactPurpose.RequiredByLaw)).Allowed);
        Assert.Contains("uk.breathing-space.enforcement", Uk(Send(ContactChannel.Letter, at, debtor, ContactPurpose.LegalActionNotice)).Rules());
    }

    [Fact]
    public void A_mental_health_crisis_breathing_space_without_a_notified_end_gives_no_next_time()
    {
        var debtor = Customer() with { BreathingSpaces = [new BreathingSpace(new LocalDate(2026, 2, 28), Kind: BreathingSpaceKind.MentalHealthCrisis)] };

        var decision = Uk(UkCall(At(London, 2026, 9, 1, 12, 0), debtor));

        Assert.Null(decision.NextAllowedAt);
        Assert.Contains("Insolvency Service", decision.NoNextAllowedBecause, StringComparison.Ordinal);
    }

    // A mental health crisis breathing space from the same day: it lasts while the crisis treatment does, plus 30 days,
    // and the creditor learns its end only when the Insolvency Service notifies it.
    private static readonly BreathingSpace Crisis = new(new LocalDate(2026, 2, 28), Kind: BreathingSpaceKind.MentalHealthCrisis);

    [Fact]
    public void A_mental_health_crisis_breathing_space_with_no_end_on_record_still_protects_after_day_60()
    {
        var debtor = Customer() with { BreathingSpaces = [Crisis] };

        var day61 = Uk(UkCall(At(London, 2026, 4, 29, 12, 0), debtor));
        var nextYear = Uk(Send(ContactChannel.Email, At(London, 2027, 1, 15, 12, 0), debtor));

        Assert.Equal(["uk.breathing-space.contact"], day61.Rules());
        Assert.Contains("until its end is notified", day61.Reasons[0].Message, StringComparison.Ordinal);
        Assert.Equal(["uk.breathing-space.contact"], nextYear.Rules());
        Assert.Null(nextYear.NextAllowedAt);
    }

    [Fact]
    public void A_mental_health_crisis_breathing_space_protects_through_its_notified_end_and_not_a_day_more()
    {
        var debtor = Customer() with { BreathingSpaces = [Crisis with { End = new LocalDate(2026, 7, 15) }] };

        var lastDay = Uk(UkCall(At(London, 2026, 7, 15, 12, 0), debtor));
        var dayAfter = Uk(UkCall(At(London, 2026, 7, 16, 12, 0), debtor));

        Assert.Equal(["uk.breathing-space.contact"], lastDay.Rules());
        Assert.Equal(At(London, 2026, 7, 16, 8, 0), lastDay.NextAllowedAt);
        Assert.True(dayAfter.Allowed);
    }

    [Fact]
    public void No_interest_or_fees_accrue_in_a_mental_health_crisis_breathing_space_until_its_notified_end()
    {
        var ended = Crisis with { End = new LocalDate(2026, 7, 15) };

        Assert.False(BreathingSpaces.MayAccrue([Crisis], "A-1", new LocalDate(2026, 4, 29)));
        Assert.False(BreathingSpaces.MayAccrue([Crisis], "A-1", new LocalDate(2027, 2, 28)));
        Assert.Equal([(new LocalDate(2026, 2, 28), LocalDate.MaxIsoValue)], BreathingSpaces.AccrualBlocks([Crisis], "A-1").Select(b => (b.From, b.Through)));
        Assert.False(BreathingSpaces.MayAccrue([ended], "A-1", new LocalDate(2026, 7, 15)));
        Assert.True(BreathingSpaces.MayAccrue([ended], "A-1", new LocalDate(2026, 7, 16)));
        Assert.Equal([(new LocalDate(2026, 2, 28), new LocalDate(2026, 7, 15))], BreathingSpaces.AccrualBlocks([ended], "A-1").Select(b => (b.From, b.Through)));
    }

    [Fact]
    public void Fees_and_interest_may_not_accrue_on_a_protected_day()
    {
        BreathingSpace[] spaces = [Standard];

        Assert.False(BreathingSpaces.MayAccrue(spaces, "A-1", new LocalDate(2026, 4, 28)));
        Assert.True(BreathingSpaces.MayAccrue(spaces, "A-1", new LocalDate(2026, 4, 29)));
        Assert.True(BreathingSpaces.MayAccrue([Standard with { Accounts = ["A-2"] }], "A-1", new LocalDate(2026, 3, 10)));
        Assert.False(BreathingSpaces.MayAccrue([Standard with { CancelledFrom = new LocalDate(2026, 3, 15) }], "A-1", new LocalDate(2026, 3, 14)));
        Assert.True(BreathingSpaces.MayAccrue([Standard with { CancelledFrom = new LocalDate(2026, 3, 15) }], "A-1", new LocalDate(2026, 3, 15)));
    }

    [Fact]
    public void The_fee_accrual_skips_the_breathing_space_days_it_is_given()
    {
        var blocked = BreathingSpaces.AccrualBlocks([Standard], "A-1");
        var charges = FeeAccrual.Compute([new FeeRule.DailySimpleInterest("interest", 1_000, long.MaxValue)], new Money(365_000, Currency.Of("GBP")),
            new LocalDate(2026, 1, 31), new LocalDate(2026, 5, 10), blocked);

        Assert.Equal([(new LocalDate(2026, 2, 28), new LocalDate(2026, 4, 28))], blocked.Select(b => (b.From, b.Through)));
        Assert.Equal(
            [(new LocalDate(2026, 2, 1), new LocalDate(2026, 2, 27)), (new LocalDate(2026, 4, 29), new LocalDate(2026, 5, 10))],
            charges.Select(c => (c.From, c.Through)));
    }

    [Theory]
    [InlineData(7, 59, 59, false)]
    [InlineData(8, 0, 0, true)]
    [InlineData(21, 0, 0, true)]
    [InlineData(21, 0, 1, false)]
    public void The_UK_window_is_08_00_to_21_00_London_time_in_summer(int hour, int minute, int second, bool allowed)
    {
        var decision = Uk(UkCall(At(London, 2026, 7, 6, hour, minute, second)));

        Assert.Equal(allowed, decision.Allowed);
        Assert.Equal(allowed ? Array.Empty<string>() : ["uk.fca.unreasonable-time"], decision.Rules());
    }

    [Fact]
    public void A_customer_with_no_location_on_file_is_contacted_in_London_hours()
    {
        var decision = Uk(Send(ContactChannel.Email, Instant.FromUtc(2026, 1, 12, 7, 59), Person(Email("email", "sam@example.co.uk"))));

        Assert.Equal(["Europe/London"], decision.Zones);
        Assert.Equal(Instant.FromUtc(2026, 1, 12, 8, 0), decision.NextAllowedAt);
    }

    [Fact]
    public void The_UK_window_is_configurable()
    {
        var pack = RulePacks.Default.Uk with { ReasonableHours = new ContactWindow(new LocalTime(9, 0), new LocalTime(20, 0)) };

        Assert.False(ComplianceEngine.Decide(UkCall(At(London, 2026, 7, 6, 8, 30)), pack).Allowed);
    }

    [Fact]
    public void A_vulnerable_customer_gets_no_automated_collection_and_is_routed_to_a_specialist()
    {
        var debtor = Customer() with { Flags = [new DebtorFlag(DebtorFlagKind.Vulnerable, At(London, 2026, 3, 1, 9, 0))] };
        var at = At(London, 2026, 3, 10, 12, 0);

        var automated = Uk(Send(ContactChannel.Sms, at, debtor) with { Automated = true });
        var byAgent = Uk(UkCall(at, debtor));

        Assert.Equal(["uk.fca.vulnerable-automated"], automated.Rules());
        Assert.True(byAgent.Allowed);
        Assert.Contains(byAgent.Obligations, o => o.RuleId == "uk.fca.vulnerable-specialist" && o.Kind == ObligationKind.Routing);
    }

    [Fact]
    public void Any_dispute_suspends_recovery_until_the_outcome_is_sent()
    {
        var outcome = At(London, 2026, 3, 20, 15, 0);
        var account = Debt() with { Disputes = [new Dispute(At(London, 2026, 3, 5, 11, 0), Written: false) { VerifiedAt = outcome }] };

        var decision = Uk(UkCall(At(London, 2026, 3, 10, 12, 0)) with { Accounts = [account] });

        Assert.Equal(["uk.fca.dispute"], decision.Rules());
        Assert.Equal(outcome, decision.NextAllowedAt);
    }

    [Fact]
    public void Calls_are_capped_per_customer_across_accounts()
    {
        ContactEvent[] calls = [.. Enumerable.Range(0, 7).Select(d => PlacedCall(At(London, 2026, 3, 2 + d, 10, 0), d % 2 == 0 ? "A-1" : "A-2"))];

        var decision = Uk(UkCall(At(London, 2026, 3, 8, 15, 0), null, calls) with { Accounts = [Debt("A-3")] });

        Assert.Equal(["uk.fca.contact-frequency"], decision.Rules());
        Assert.Equal(At(London, 2026, 3, 9, 8, 0), decision.NextAllowedAt);
    }

    [Fact]
    public void The_customers_requests_about_how_to_be_contacted_are_honoured()
    {
        var debtor = Customer() with { MediumOptOuts = [new MediumOptOut(ContactChannel.Sms, At(London, 2026, 3, 1, 9, 0))] };

        Assert.Equal(["uk.fca.contact-request"], Uk(Send(ContactChannel.Sms, At(London, 2026, 3, 10, 12, 0), debtor)).Rules());
    }
}
