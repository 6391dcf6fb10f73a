using Dunwell.Domain.Ledger;
using FsCheck.Xunit;
using NodaTime;

namespace Dunwell.Domain.Tests.Ledger;

public sealed class LedgerTests
{
    [Fact]
    public void A_payment_pays_fees_then_interest_then_principal()
    {
        var balance = new Components(Principal: 50_000, Interest: 1_240, Fees: 10_000);

        var entry = PaymentAllocation.Allocate(balance, 15_000);

        Assert.Equal(new Components(-3_760, -1_240, -10_000), entry);
    }

    [Fact]
    public void An_overpayment_leaves_a_credit_on_principal()
    {
        var balance = new Components(100, 20, 30);

        var after = balance + PaymentAllocation.Allocate(balance, 200);

        Assert.Equal(new Components(-50, 0, 0), after);
    }

    [Property]
    public bool A_payment_reduces_the_total_by_exactly_its_amount(int principal, int interest, int fees, FsCheck.PositiveInt paid)
    {
        var balance = new Components(principal, interest, fees);

        var entry = PaymentAllocation.Allocate(balance, paid.Get);

        return entry.Total == -paid.Get
            && entry.Principal <= 0 && entry.Interest <= 0 && entry.Fees <= 0
            && (balance + entry).Total == balance.Total - paid.Get;
    }

    [Property]
    public bool A_balance_is_the_sum_of_its_entries_in_any_order(int[] principals, int[] fees)
    {
        var entries = principals.Zip(fees, (p, f) => new Components(p, 0, f)).ToList();

        var forward = Components.Sum(entries);
        var backward = Components.Sum(Enumerable.Reverse(entries));

        return forward == backward
            && forward.Principal == entries.Sum(e => e.Principal)
            && forward.Total == entries.Sum(e => e.Total);
    }

    [Property]
    public bool A_reversal_brings_the_balance_back_to_what_it_was(int principal, int interest, int fees, int p2)
    {
        var before = new Components(p2, 0, 0);
        var mistake = new Components(principal, interest, fees);

        return Components.Sum([before, mistake, -mistake]) == before;
    }
}

public sealed class AgeingTests
{
    private static readonly LocalDate Due = new(2026, 1, 31);

    [Theory]
    [InlineData("2026-01-30", AgeingBucket.Current, 0)]
    [InlineData("2026-01-31", AgeingBucket.Current, 0)]
    [InlineData("2026-02-01", AgeingBucket.Days1To30, 1)]
    [InlineData("2026-03-02", AgeingBucket.Days1To30, 30)]
    [InlineData("2026-03-03", AgeingBucket.Days31To60, 31)]
    [InlineData("2026-04-01", AgeingBucket.Days31To60, 60)]
    [InlineData("2026-04-02", AgeingBucket.Days61To90, 61)]
    [InlineData("2026-05-01", AgeingBucket.Days61To90, 90)]
    [InlineData("2026-05-02", AgeingBucket.Days91To120, 91)]
    [InlineData("2026-05-31", AgeingBucket.Days91To120, 120)]
    [InlineData("2026-06-01", AgeingBucket.Over120, 121)]
    public void Buckets_turn_over_on_the_first_day_past_each_boundary(string today, AgeingBucket bucket, int days)
    {
        var date = NodaTime.Text.LocalDatePattern.Iso.Parse(today).Value;

        Assert.Equal(days, Ageing.DaysPastDue(Due, date));
        Assert.Equal(bucket, Ageing.BucketFor(Due, date));
    }

    [Fact]
    public void A_leap_day_counts_as_a_day() =>
        Assert.Equal(2, Ageing.DaysPastDue(new LocalDate(2028, 2, 28), new LocalDate(2028, 3, 1)));

    [Property]
    public bool Ageing_never_goes_backwards_as_days_pass(FsCheck.NonNegativeInt offset, FsCheck.NonNegativeInt more)
    {
        var today = Due.PlusDays(offset.Get % 1000);
        var later = today.PlusDays(more.Get % 1000);

        return Ageing.BucketFor(Due, later) >= Ageing.BucketFor(Due, today);
    }
}

public sealed class AllocationOrderTests
{
    [Fact]
    public void A_pack_that_puts_principal_first_reduces_principal_before_fees()
    {
        var entry = PaymentAllocation.Allocate(new Components(1_000, 200, 300), 1_100, [Component.Principal, Component.Interest, Component.Fees]);

        Assert.Equal(new Components(-1_000, -100, 0), entry);
    }

    [Fact]
    public void An_order_that_repeats_a_component_is_a_bug() =>
        Assert.Throws<ArgumentException>(() => PaymentAllocation.Allocate(new Components(1, 1, 1), 1, [Component.Fees, Component.Fees, Component.Principal]));
}
