using Dunwell.Domain.Ledger;
using FsCheck.Xunit;

namespace Dunwell.Domain.Tests.Ledger;

public sealed class OverpaymentTests
{
    [Fact]
    public void Paying_exactly_the_balance_is_not_an_overpayment_and_a_cent_more_is()
    {
        var balance = new Components(50_000, 1_240, 10_000);

        Assert.Equal(0, Overpayment.Excess(balance, 61_240));
        Assert.Equal(1, Overpayment.Excess(balance, 61_241));
        Assert.Equal(8_760, Overpayment.Credit((balance + PaymentAllocation.Allocate(balance, 70_000)).Total));
    }

    [Fact]
    public void Any_payment_on_an_account_already_in_credit_is_all_overpayment()
    {
        Assert.Equal(500, Overpayment.Excess(new Components(-1_200, 0, 0), 500));
        Assert.Equal(1_200, Overpayment.Credit(-1_200));
        Assert.Equal(0, Overpayment.Credit(0));
    }

    [Property]
    public bool A_payment_with_no_excess_never_leaves_a_credit_and_one_with_excess_leaves_exactly_that_much_more(
        int principal, int interest, int fees, FsCheck.PositiveInt paid)
    {
        var balance = new Components(principal, interest, fees);
        var after = balance + PaymentAllocation.Allocate(balance, paid.Get);
        var excess = Overpayment.Excess(balance, paid.Get);

        return excess == 0
            ? after.Total >= 0
            : Overpayment.Credit(after.Total) == Overpayment.Credit(balance.Total) + excess;
    }
}
