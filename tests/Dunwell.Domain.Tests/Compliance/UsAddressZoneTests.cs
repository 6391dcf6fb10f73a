using Dunwell.Domain.Compliance;
using static Dunwell.Domain.Tests.Compliance.Scenario;

namespace Dunwell.Domain.Tests.Compliance;

/// <summary>What a postal address says about the debtor's zone: its stated zone, its state, or (a country alone) nothing.</summary>
public sealed class UsAddressZoneTests
{
    [Fact]
    public void A_zone_stated_for_a_phoenix_address_is_the_address_zone_so_half_past_eight_in_the_evening_is_allowed()
    {
        var debtor = Person(Phone("mobile", PhoenixPhone)) with
        {
            Address = new PostalAddress("US", "AZ", "85004") { TimeZone = "America/Phoenix" },
        };

        // 20:30 in Phoenix in July is 21:30 in Denver (the Navajo Nation keeps daylight time).
        var decision = Us(Call(At(Phoenix, 2026, 7, 14, 20, 30), debtor));

        Assert.True(decision.Allowed);
        Assert.Equal(["America/Phoenix"], decision.Zones);
    }

    [Fact]
    public void An_arizona_address_without_a_stated_zone_keeps_both_zones_of_the_state()
    {
        var debtor = Person(Phone("mobile", PhoenixPhone)) with { Address = new PostalAddress("US", "AZ", "85004") };

        var decision = Us(Call(At(Phoenix, 2026, 7, 14, 20, 30), debtor));

        Assert.False(decision.Allowed);
        Assert.Contains("America/Denver", decision.Zones);
    }

    [Fact]
    public void A_country_alone_is_no_location_so_the_new_york_phone_decides_at_noon_and_the_decision_says_why()
    {
        var debtor = Person(Phone("mobile", NewYorkPhone)) with { Address = new PostalAddress("US") };

        var decision = Us(Call(At(NewYork, 2026, 1, 12, 12, 0), debtor));

        Assert.True(decision.Allowed);
        Assert.Equal(["America/New_York"], decision.Zones);
        var note = Assert.Single(decision.Obligations, o => o.RuleId == "data.location");
        Assert.Contains("only its country (US)", note.Message, StringComparison.Ordinal);
        Assert.Contains("the phone numbers' zones decide", note.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_refusal_by_the_hours_repeats_that_the_country_alone_said_nothing()
    {
        var debtor = Person(Phone("mobile", NewYorkPhone)) with { Address = new PostalAddress("US") };

        var decision = Us(Call(At(NewYork, 2026, 1, 12, 7, 0), debtor));

        Assert.Equal(["us.reg-f.inconvenient-time"], decision.Rules());
        Assert.Contains("only its country (US)", decision.Reasons[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_country_alone_with_nothing_else_on_file_still_means_every_zone_of_the_pack()
    {
        var debtor = Person(Email("email", "pat@example.com")) with { Address = new PostalAddress("US") };

        var decision = Us(Send(ContactChannel.Email, At(NewYork, 2026, 1, 12, 12, 0), debtor));

        Assert.Contains("Pacific/Honolulu", decision.Zones);
        Assert.Contains(decision.Obligations, o => o.RuleId == "data.location" && o.Message.Contains("nothing else on file", StringComparison.Ordinal));
    }

    [Fact]
    public void A_city_is_a_location_dunwell_cannot_place_so_the_country_zones_stay() =>
        Assert.Contains("America/Los_Angeles", DebtorLocation.ZonesOfAddress(new PostalAddress("US") { City = "Springfield" }));

    [Fact]
    public void A_single_zone_country_alone_still_gives_its_zone()
    {
        var debtor = Person(Phone("mobile", NewYorkPhone)) with { Address = new PostalAddress("GB") };

        Assert.Contains("Europe/London", Us(Call(At(NewYork, 2026, 1, 12, 12, 0), debtor)).Zones);
    }
}
