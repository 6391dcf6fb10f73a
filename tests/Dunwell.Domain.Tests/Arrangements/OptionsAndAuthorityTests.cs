using Dunwell.Domain.Accounts;
using Dunwell.Domain.Amounts;
using Dunwell.Domain.Arrangements;
using Dunwell.Domain.Ledger;
using FsCheck;
using FsCheck.Xunit;
using NodaTime;

namespace Dunwell.Domain.Tests.Arrangements;

public sealed class OptionsAndAuthorityTests
{
    private static readonly Currency Usd = Currency.Of("USD");
    private static readonly LocalDate Today = new(2027, 1, 31);

    private static readonly CreditorPolicy WithSettlement = CreditorPolicy.Default with
    {
        Settlement = new SettlementRules(true, [new DiscountBand(90, 1_500), new DiscountBand(180, 3_000)], [new DiscountBand(0, 2_000)], PayWithinDays: 10),
    };

    [Fact]
    public void A_settlement_takes_the_lower_of_the_age_band_and_the_balance_band()
    {
        var offers = OptionsEngine.Offers(new Components(100_000, 0, 0), Usd, daysPastDue: 200, Today, WithSettlement);

        var settlement = Assert.Single(offers, o => o.Kind == OfferKind.Settlement);
        Assert.Equal((80_000L, 20_000L), (settlement.TotalPayable.Minor, settlement.Discount.Minor));
        Assert.Equal(new LocalDate(2027, 2, 10), settlement.PayBy);
        Assert.Contains("Settle for $800.00 instead of $1,000.00", settlement.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void A_settlement_window_of_three_months_also_offers_the_settlement_in_monthly_payments_within_it()
    {
        var policy = WithSettlement with { Settlement = WithSettlement.Settlement with { PayWithinDays = 90 } };

        var offers = OptionsEngine.Offers(new Components(100_000, 0, 0), Usd, daysPastDue: 200, Today, policy);

        var settlements = offers.Where(o => o.Kind == OfferKind.Settlement).ToList();
        Assert.Equal(2, settlements.Count);
        var spread = settlements.Single(o => o.Instalments.Count > 1);
        Assert.Equal((80_000L, 20_000L, Frequency.Monthly), (spread.TotalPayable.Minor, spread.Discount.Minor, spread.Frequency));
        Assert.Equal([new LocalDate(2027, 2, 7), new LocalDate(2027, 3, 7), new LocalDate(2027, 4, 7)], spread.Instalments.Select(i => i.DueOn));
        Assert.Equal(80_000, spread.Instalments.Sum(i => i.Amount.Minor));
        Assert.False(Authority.Check(spread.ToTerms(new Components(100_000, 0, 0)), policy, "admin", 200, Today).Refused);
        Assert.Contains("in 3 monthly payments", spread.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void No_settlement_is_offered_when_policy_turns_it_off_or_the_debt_is_too_young()
    {
        Assert.DoesNotContain(OptionsEngine.Offers(new Components(100_000, 0, 0), Usd, 400, Today, CreditorPolicy.Default), o => o.Kind == OfferKind.Settlement);
        Assert.DoesNotContain(OptionsEngine.Offers(new Components(100_000, 0, 0), Usd, 30, Today, WithSettlement), o => o.Kind == OfferKind.Settlement);
    }

    [Fact]
    public void The_longest_monthly_plan_respects_the_minimum_instalment()
    {
        var offers = OptionsEngine.Offers(new Components(10_000, 0, 0), Usd, 10, Today, CreditorPolicy.Default);

        var monthly = Assert.Single(offers, o => o is { Kind: OfferKind.Plan, Frequency: Frequency.Monthly });
        Assert.Equal(4, monthly.Instalments.Count); // 100.00 at a 25.00 minimum
        Assert.All(monthly.Instalments, i => Assert.Equal(2_500, i.Amount.Minor));
    }

    [Fact]
    public void A_discount_a_cent_over_a_limit_is_over_it_a_plan_a_cent_short_is_refused_and_a_part_promise_forgives_nothing()
    {
        // 100,000.00 owed, 90,000.00 is exactly 10% off (within the agent's 10%); 89,999.99 is 0.00001% over.
        var policy = WithSettlement with { Settlement = WithSettlement.Settlement with { ByBalanceMinor = [new DiscountBand(0, 5_000)] } };
        ProposedTerms Settle(long agreed) =>
            new(ArrangementKind.Settlement, Usd, 10_000_000, agreed, Today.PlusDays(5), Today.PlusDays(5), 1, agreed, null, 0);
        var planShort = new ProposedTerms(ArrangementKind.Plan, Usd, 1_000_000_000, 999_999_999, Today.PlusDays(5), Today.PlusDays(5).PlusMonths(3), 4, 249_999_999, Frequency.Monthly, 0)
        {
            FirstInstalmentMinor = 250_000_000,
        };
        var partPromise = new ProposedTerms(ArrangementKind.Promise, Usd, 10_000_000, 2_000_000, Today.PlusDays(5), Today.PlusDays(5), 1, 2_000_000, null, 0);

        Assert.False(Authority.Check(Settle(9_000_000), policy, "agent", 200, Today).NeedsApproval);
        var over = Authority.Check(Settle(8_999_999), policy, "agent", 200, Today);
        Assert.Equal("max-discount", Assert.Single(over.BeyondAuthority).Limit);
        Assert.Equal("total", Assert.Single(Authority.Check(planShort, policy, "admin", 200, Today).OutsidePolicy).Limit);
        var promise = Authority.Check(partPromise, policy, "agent", 200, Today);
        Assert.False(promise.Refused || promise.NeedsApproval);
    }

    [Fact]
    public void Policy_dates_and_down_payments_are_limits_no_role_can_pass()
    {
        var policy = CreditorPolicy.Default with { Plan = CreditorPolicy.Default.Plan with { MinDownPaymentBasisPoints = 1_000 } };
        var promiseTooLate = new ProposedTerms(ArrangementKind.Promise, Usd, 100_000, 100_000, Today.PlusDays(15), Today.PlusDays(15), 1, 100_000, null, 0);
        var planNoDown = new ProposedTerms(ArrangementKind.Plan, Usd, 100_000, 100_000, Today.PlusDays(5), Today.PlusDays(5).PlusMonths(3), 4, 25_000, Frequency.Monthly, 0)
        {
            FirstInstalmentMinor = 9_999,
        };

        Assert.Equal("promise-date", Assert.Single(Authority.Check(promiseTooLate, policy, "supervisor", 40, Today).OutsidePolicy).Limit);
        Assert.Contains(Authority.Check(planNoDown, policy, "admin", 40, Today).OutsidePolicy, f => f.Limit == "down-payment");
        Assert.DoesNotContain(Authority.Check(planNoDown with { FirstInstalmentMinor = 10_000 }, policy, "admin", 40, Today).OutsidePolicy, f => f.Limit == "down-payment");
    }

    [Fact]
    public void A_role_the_policy_gives_no_limits_may_agree_nothing_without_approval_and_admins_are_bounded_by_policy_alone()
    {
        var agentsOnly = CreditorPolicy.Default with { Authority = new Dictionary<string, AuthorityLimits>(StringComparer.Ordinal) { ["agent"] = CreditorPolicy.Default.Authority["agent"] } };
        var plan = new ProposedTerms(ArrangementKind.Plan, Usd, 120_000, 120_000, Today.PlusDays(5), Today.PlusDays(5).PlusMonths(2), 3, 40_000, Frequency.Monthly, 0);

        Assert.True(Authority.Check(plan, agentsOnly, "supervisor", 40, Today).NeedsApproval);
        Assert.False(Authority.Check(plan, agentsOnly, "admin", 40, Today).NeedsApproval);
        Assert.Contains("authority.supervisor", agentsOnly.Validate().Keys);
    }

    [Fact]
    public void An_agent_asking_for_a_twelve_month_plan_needs_approval_and_is_told_why()
    {
        var terms = new ProposedTerms(ArrangementKind.Plan, Usd, 120_000, 120_000, Today.PlusDays(5), Today.PlusDays(5).PlusMonths(11), 12, 10_000, Frequency.Monthly, 0);

        var decision = Authority.Check(terms, CreditorPolicy.Default, "agent", 40, Today);

        Assert.True(decision.NeedsApproval);
        var finding = Assert.Single(decision.BeyondAuthority);
        Assert.Equal("max-plan-months", finding.Limit);
        Assert.Contains("12 months is beyond the 6 months", finding.Message, StringComparison.Ordinal);
        Assert.False(Authority.Check(terms, CreditorPolicy.Default, "supervisor", 40, Today).NeedsApproval);
    }

    [Fact]
    public void A_discount_beyond_policy_is_refused_even_for_a_supervisor()
    {
        var terms = new ProposedTerms(ArrangementKind.Settlement, Usd, 100_000, 50_000, Today, Today, 1, 50_000, null, 0);

        var decision = Authority.Check(terms, WithSettlement, "supervisor", 200, Today);

        Assert.True(decision.Refused);
        Assert.Contains(decision.OutsidePolicy, f => f.Limit == "settlement-discount");
    }

    [Theory]
    [InlineData("agent", 2_500, false)]
    [InlineData("agent", 2_501, true)]
    [InlineData("supervisor", 25_000, false)]
    [InlineData("supervisor", 25_001, true)]
    public void A_fee_waiver_needs_approval_just_above_the_role_cap(string role, long waive, bool needsApproval)
    {
        var terms = new ProposedTerms(ArrangementKind.FeeWaiver, Usd, 100_000, 100_000 - waive, Today, Today, 0, 0, null, waive);

        var decision = Authority.Check(terms, CreditorPolicy.Default, role, daysPastDue: 40, Today);

        Assert.False(decision.Refused);
        Assert.Equal(needsApproval, decision.NeedsApproval);
        if (needsApproval)
        {
            Assert.Contains("of fees is beyond the", Assert.Single(decision.BeyondAuthority).Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Limits_and_refusals_write_money_with_the_currencys_symbol_and_grouping()
    {
        var gbp = Currency.Of("GBP");
        var waiver = new ProposedTerms(ArrangementKind.FeeWaiver, gbp, 200_000, 0, Today, Today, 0, 0, null, 200_000);
        var promise = new ProposedTerms(ArrangementKind.Promise, Currency.Of("JPY"), 500_000, 50, Today.PlusDays(5), Today.PlusDays(5), 1, 50, null, 0);

        Assert.Equal("Waiving £2,000.00 of fees is beyond the £25.00 an agent may waive.",
            Assert.Single(Authority.Check(waiver, CreditorPolicy.Default, "agent", 40, Today).BeyondAuthority).Message);
        Assert.Equal("A promise must be for at least ¥100.",
            Assert.Single(Authority.Check(promise, CreditorPolicy.Default, "agent", 40, Today).OutsidePolicy, f => f.Limit == "min-promise").Message);
    }

    [Fact]
    public void A_fee_waiver_of_nothing_is_refused()
    {
        var terms = new ProposedTerms(ArrangementKind.FeeWaiver, Usd, 100_000, 100_000, Today, Today, 0, 0, null, 0);

        Assert.True(Authority.Check(terms, CreditorPolicy.Default, "agent", 40, Today).Refused);
    }

    [Property]
    public bool Every_offer_is_within_policy_and_adds_up(PositiveInt balance, NonNegativeInt daysPastDue, NonNegativeInt feeShare)
    {
        var total = balance.Get % 5_000_000;
        var fees = total == 0 ? 0 : feeShare.Get % Math.Max(1, total / 4);
        var components = new Components(total - fees, 0, fees);
        var dpd = daysPastDue.Get % 1000;

        var offers = OptionsEngine.Offers(components, Usd, dpd, Today, WithSettlement);

        return offers.All(o =>
            !Authority.Check(o.ToTerms(components), WithSettlement, "admin", dpd, Today).Refused
            && o.Instalments.Sum(i => i.Amount.Minor) == o.TotalPayable.Minor
            && o.TotalPayable.Minor + o.Discount.Minor == components.Total);
    }

    [Property]
    public bool Under_any_policy_every_offer_is_within_it_and_each_role_may_agree_it_or_is_told_it_needs_approval(
        PositiveInt balance, NonNegativeInt daysPastDue, byte downPercent, byte maxMonths, byte minInstalment, byte windowDays, byte promiseDays, byte payWithin)
    {
        var policy = WithSettlement with
        {
            Promise = new PromiseLimits(MaxDaysAhead: promiseDays % 60, MinAmountMinor: 100),
            Plan = CreditorPolicy.Default.Plan with
            {
                MaxMonths = 1 + (maxMonths % 36),
                MinInstalmentMinor = minInstalment * 100L,
                MinDownPaymentBasisPoints = downPercent % 60 * 100,
                FirstPaymentWithinDays = windowDays % 45,
            },
            Settlement = WithSettlement.Settlement with { PayWithinDays = payWithin % 120 },
        };
        var components = new Components(balance.Get % 10_000_000, 0, 0);
        var dpd = daysPastDue.Get % 1000;

        var offers = OptionsEngine.Offers(components, Usd, dpd, Today, policy);

        return offers.All(o =>
        {
            var terms = o.ToTerms(components);
            var forRoles = new[] { Roles.Agent, Roles.Supervisor, Roles.Admin }.Select(role => (role, decision: Authority.Check(terms, policy, role, dpd, Today))).ToList();
            var agent = forRoles[0].decision;
            var months = Period.Between(terms.FirstPaymentOn, terms.LastPaymentOn, PeriodUnits.Months).Months + 1;
            // Whatever an agent may agree without approval is inside the agent's own limits.
            var agentLimits = policy.Authority[Roles.Agent];
            var withinAgent = (terms.Kind != ArrangementKind.Plan || months <= agentLimits.MaxPlanMonths)
                && (long)o.Discount.Minor * 10_000 <= (long)agentLimits.MaxDiscountBasisPoints * components.Total;
            return forRoles.All(r => !r.decision.Refused)
                && !forRoles[2].decision.NeedsApproval
                && (agent.NeedsApproval || withinAgent)
                && o.Instalments.Sum(i => i.Amount.Minor) == o.TotalPayable.Minor
                && (o.Kind != OfferKind.Plan || o.Instalments[0].Amount.Minor * 10_000 >= (long)o.TotalPayable.Minor * policy.Plan.MinDownPaymentBasisPoints);
        });
    }

    [Property]
    public bool Whenever_the_policy_allows_a_plan_the_agent_is_offered_one_they_may_agree_alone_within_policy(
        PositiveInt balance, byte maxMonths, byte agentMonths, byte minInstalment)
    {
        var limits = CreditorPolicy.Default.Authority[Roles.Agent] with { MaxPlanMonths = 1 + (agentMonths % 12) };
        var policy = CreditorPolicy.Default with
        {
            Plan = CreditorPolicy.Default.Plan with { MaxMonths = 1 + (maxMonths % 36), MinInstalmentMinor = minInstalment * 100L },
            Authority = new Dictionary<string, AuthorityLimits>(CreditorPolicy.Default.Authority, StringComparer.Ordinal) { [Roles.Agent] = limits },
        };
        var components = new Components(balance.Get % 10_000_000, 0, 0);

        var offers = OptionsEngine.Offers(components, Usd, 40, Today, policy, limits);
        var plans = offers.Where(o => o.Kind == OfferKind.Plan).Select(o => Authority.Check(o.ToTerms(components), policy, Roles.Agent, 40, Today)).ToList();
        // Any plan the agent could agree alone exists exactly when the shortest allowed length fits in the agent's months.
        var anyPlanFitsAlone = OptionsEngine.Offers(components, Usd, 40, Today,
            policy with { Plan = policy.Plan with { MaxMonths = Math.Min(policy.Plan.MaxMonths, limits.MaxPlanMonths) } }).Any(o => o.Kind == OfferKind.Plan);

        return plans.All(d => !d.Refused) && (!anyPlanFitsAlone || plans.Any(d => !d.NeedsApproval));
    }

    [Fact]
    public void An_agent_is_also_offered_the_longest_plan_they_may_agree_alone()
    {
        var balance = new Components(120_000, 0, 0);
        var agent = CreditorPolicy.Default.Authority["agent"];

        var offers = OptionsEngine.Offers(balance, Usd, 40, Today, CreditorPolicy.Default, agent);

        var monthly = offers.Where(o => o.Kind == OfferKind.Plan && o.Frequency == Frequency.Monthly).ToList();
        Assert.Equal([12, 6], monthly.Select(o => o.Instalments.Count));
        Assert.True(Authority.Check(monthly[0].ToTerms(balance), CreditorPolicy.Default, Roles.Agent, 40, Today).NeedsApproval);
        var alone = Authority.Check(monthly[1].ToTerms(balance), CreditorPolicy.Default, Roles.Agent, 40, Today);
        Assert.False(alone.NeedsApproval || alone.Refused);
    }

    [Fact]
    public void Without_a_viewer_or_for_a_role_that_may_agree_the_longest_plan_no_shorter_plan_is_added()
    {
        var balance = new Components(120_000, 0, 0);

        var anyone = OptionsEngine.Offers(balance, Usd, 40, Today, CreditorPolicy.Default);
        var supervisor = OptionsEngine.Offers(balance, Usd, 40, Today, CreditorPolicy.Default, CreditorPolicy.Default.Authority["supervisor"]);

        Assert.Single(anyone, o => o.Kind == OfferKind.Plan && o.Frequency == Frequency.Monthly);
        Assert.Single(supervisor, o => o.Kind == OfferKind.Plan && o.Frequency == Frequency.Monthly);
    }

    [Fact]
    public void Terms_beyond_the_supervisors_limits_can_be_approved_only_by_an_admin()
    {
        var policy = CreditorPolicy.Default with { Plan = CreditorPolicy.Default.Plan with { MaxMonths = 24 } };
        var balance = new Components(240_000, 0, 0);
        var plans = OptionsEngine.Offers(balance, Usd, 40, Today, policy).Where(o => o.Kind == OfferKind.Plan && o.Frequency == Frequency.Monthly).ToList();
        var nineMonths = OptionsEngine.Offers(balance, Usd, 40, Today, policy with { Plan = policy.Plan with { MaxMonths = 9 } })
            .Single(o => o.Kind == OfferKind.Plan && o.Frequency == Frequency.Monthly);

        Assert.Equal(24, Assert.Single(plans).Instalments.Count);
        Assert.Equal(Roles.Admin, Authority.ApproverFor(plans[0].ToTerms(balance), policy, 40, Today));
        Assert.Equal(Roles.Supervisor, Authority.ApproverFor(nineMonths.ToTerms(balance), policy, 40, Today));
    }
}
