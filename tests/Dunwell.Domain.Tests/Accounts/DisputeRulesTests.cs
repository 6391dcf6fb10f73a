using Dunwell.Domain.Accounts;

namespace Dunwell.Domain.Tests.Accounts;

public sealed class DisputeRulesTests
{
    [Theory]
    [InlineData(AccountStatus.Active)]
    [InlineData(AccountStatus.InArrangement)]
    public void A_dispute_of_the_whole_debt_puts_a_collectable_account_on_hold(AccountStatus status)
    {
        Assert.Equal(AccountStatus.Disputed, DisputeRules.StatusAfterDispute(status, amountMinor: null, balanceMinor: 61_240));
        Assert.Equal(AccountStatus.Disputed, DisputeRules.StatusAfterDispute(status, amountMinor: 61_240, balanceMinor: 61_240));
    }

    [Fact]
    public void A_dispute_of_part_of_the_debt_leaves_the_status_alone()
    {
        Assert.Equal(AccountStatus.Active, DisputeRules.StatusAfterDispute(AccountStatus.Active, amountMinor: 10_000, balanceMinor: 61_240));
    }

    [Theory]
    [InlineData(AccountStatus.Paid)]
    [InlineData(AccountStatus.Closed)]
    [InlineData(AccountStatus.Escalated)]
    public void A_dispute_does_not_reopen_or_change_an_account_out_of_collection(AccountStatus status)
    {
        Assert.Equal(status, DisputeRules.StatusAfterDispute(status, amountMinor: null, balanceMinor: 0));
    }

    [Fact]
    public void Verification_returns_the_account_to_collection_only_when_no_dispute_is_left_open()
    {
        Assert.Equal(AccountStatus.Disputed, DisputeRules.StatusAfterVerification(AccountStatus.Disputed, openLeft: 1, activeArrangement: false, balanceMinor: 100));
        Assert.Equal(AccountStatus.Active, DisputeRules.StatusAfterVerification(AccountStatus.Disputed, openLeft: 0, activeArrangement: false, balanceMinor: 100));
        Assert.Equal(AccountStatus.InArrangement, DisputeRules.StatusAfterVerification(AccountStatus.Disputed, openLeft: 0, activeArrangement: true, balanceMinor: 100));
        Assert.Equal(AccountStatus.Paid, DisputeRules.StatusAfterVerification(AccountStatus.Disputed, openLeft: 0, activeArrangement: false, balanceMinor: 0));
        Assert.Equal(AccountStatus.Escalated, DisputeRules.StatusAfterVerification(AccountStatus.Escalated, openLeft: 0, activeArrangement: false, balanceMinor: 100));
    }

    [Fact]
    public void The_open_amount_is_the_whole_balance_under_a_whole_debt_dispute_else_the_open_parts_up_to_the_balance()
    {
        Assert.Equal(61_240, DisputeRules.OpenAmount([new(null, false), new(1_000, false)], 61_240));
        Assert.Equal(0, DisputeRules.OpenAmount([new(null, true)], 61_240));
        Assert.Equal(3_000, DisputeRules.OpenAmount([new(1_000, false), new(2_000, false), new(5_000, true)], 61_240));
        Assert.Equal(2_500, DisputeRules.OpenAmount([new(2_000, false), new(1_000, false)], 2_500));
        Assert.Equal(0, DisputeRules.OpenAmount([new(null, false)], -500));
    }
}
