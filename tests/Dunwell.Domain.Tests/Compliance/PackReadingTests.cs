using Dunwell.Domain.Compliance;

namespace Dunwell.Domain.Tests.Compliance;

public sealed class PackReadingTests
{
    [Fact]
    public void No_reading_leaves_the_packs_as_they_are()
    {
        Assert.Same(RulePacks.Default, RulePacks.Default.Read(null, "c1"));
        Assert.Same(RulePacks.Default, RulePacks.Default.Read(new PackReading(), "c1"));
    }

    [Fact]
    public void A_reading_changes_only_what_it_names_and_each_pack_it_changes_gets_a_version_of_its_own()
    {
        var read = RulePacks.Default.Read(new PackReading { ClosingInstantAllowed = false, CountNotConnectedCalls = true }, "creditor7.policy3");

        Assert.False(read.Us.ConvenientHours.ClosingInstantAllowed);
        Assert.True(read.Us.CountNotConnectedCalls);
        Assert.Equal(RulePacks.Default.Us.ObservedHolidaysAreNotBusinessDays, read.Us.ObservedHolidaysAreNotBusinessDays);
        Assert.Equal($"{RulePacks.Default.Us.Version}+creditor7.policy3", read.Us.Version);
        Assert.Same(RulePacks.Default.Uk, read.Uk); // nothing UK was read differently
        Assert.True(read.Uk.ReasonableHours.ClosingInstantAllowed);
    }

    [Fact]
    public void Reading_a_point_the_same_way_as_the_pack_makes_no_new_version()
    {
        var read = RulePacks.Default.Read(new PackReading { DisputeBeforeNoticeHolds = RulePacks.Default.Us.DisputeBeforeNoticeHolds }, "c1");

        Assert.Equal(RulePacks.Default.Us.Version, read.Us.Version);
    }
}
