using Dunwell.Domain.Compliance;
using FsCheck.Xunit;
using NodaTime;
using static Dunwell.Domain.Tests.Compliance.Scenario;

namespace Dunwell.Domain.Tests.Compliance;

/// <summary>A range from 00:00 to 00:00 is the whole day ("00:00 to 24:00"): every hour of it, and no hour of the next.</summary>
public sealed class WholeDayInconvenientTimeTests
{
    private const string Designated = "us.reg-f.designated-inconvenient-time";

    private static readonly InconvenientTime WholeDay = new(LocalTime.Midnight, LocalTime.Midnight);

    private static DebtorFacts With(params InconvenientTime[] times) => Consumer() with { InconvenientTimes = times };

    private static HashSet<IsoDayOfWeek> On(params IsoDayOfWeek[] days) => [.. days];

    [Fact]
    public void A_whole_saturday_refuses_noon_that_day_until_sunday_and_says_so()
    {
        var debtor = With(WholeDay with { Days = On(IsoDayOfWeek.Saturday) });

        var noon = Us(Call(At(NewYork, 2026, 1, 17, 12, 0), debtor)); // Saturday
        var lastMinute = Us(Call(At(NewYork, 2026, 1, 17, 20, 59), debtor));

        Assert.Equal([Designated], noon.Rules());
        Assert.Contains("the whole of Saturday is inconvenient", noon.Reasons[0].Message, StringComparison.Ordinal);
        Assert.Equal(At(NewYork, 2026, 1, 18, 8, 0), noon.NextAllowedAt); // Sunday, once the hours open
        Assert.Contains(Designated, lastMinute.Rules());
        Assert.True(Us(Call(At(NewYork, 2026, 1, 16, 20, 0), debtor)).Allowed); // Friday evening
        Assert.True(Us(Call(At(NewYork, 2026, 1, 18, 8, 0), debtor)).Allowed); // Sunday morning is not Saturday's
    }

    [Fact]
    public void Whole_days_back_to_back_refuse_until_the_first_day_not_named()
    {
        var debtor = With(WholeDay with { Days = On(IsoDayOfWeek.Saturday, IsoDayOfWeek.Sunday) }, new InconvenientTime(new LocalTime(18, 0), new LocalTime(10, 0)));

        var decision = Us(Call(At(NewYork, 2026, 1, 17, 12, 0), debtor));

        Assert.Equal(At(NewYork, 2026, 1, 19, 10, 0), decision.NextAllowedAt); // Monday, once the overnight range ends
    }

    [Fact]
    public void A_whole_day_every_day_leaves_no_time_and_says_why()
    {
        var decision = Us(Call(At(NewYork, 2026, 1, 17, 12, 0), With(WholeDay)));

        Assert.False(decision.Allowed);
        Assert.Null(decision.NextAllowedAt);
        Assert.False(string.IsNullOrWhiteSpace(decision.NoNextAllowedBecause));
    }

    [Fact]
    public void Overnight_ranges_still_run_into_the_next_morning()
    {
        var debtor = With(new InconvenientTime(new LocalTime(22, 0), new LocalTime(9, 0)) { Days = On(IsoDayOfWeek.Friday) });

        Assert.Contains(Designated, Us(Call(At(NewYork, 2026, 1, 17, 8, 30), debtor)).Rules()); // Saturday morning, Friday's night
        Assert.True(Us(Call(At(NewYork, 2026, 1, 17, 9, 0), debtor)).Allowed);
    }

    /// <summary>On any day, at any minute, a whole-day range on some weekdays refuses exactly on those days.</summary>
    [Property(MaxTest = 500)]
    public void A_whole_day_refuses_exactly_the_days_it_names(int seed)
    {
        var random = new Random(seed);
        var days = Enum.GetValues<IsoDayOfWeek>().Where(d => d != IsoDayOfWeek.None && random.Next(2) == 0).ToHashSet();
        if (days.Count == 0)
        {
            days.Add(IsoDayOfWeek.Wednesday);
        }

        var local = new LocalDate(2026, 1, 1).PlusDays(random.Next(730)).At(new LocalTime(random.Next(24), random.Next(60)));
        var at = local.InZoneLeniently(NewYork).ToInstant();

        var decision = Us(Call(at, With(WholeDay with { Days = days })));

        Assert.Equal(days.Contains(at.InZone(NewYork).DayOfWeek), decision.Rules().Contains(Designated));
    }

    /// <summary>A whole day refuses the same instants as the day split at any time into a morning and an evening to midnight.</summary>
    [Property(MaxTest = 500)]
    public void A_whole_day_is_the_same_as_the_day_split_in_two(int seed)
    {
        var random = new Random(seed);
        var split = new LocalTime(random.Next(1, 24), 15 * random.Next(4));
        var day = (IsoDayOfWeek)random.Next(1, 8);
        var halves = With(
            new InconvenientTime(LocalTime.Midnight, split) { Days = On(day) },
            new InconvenientTime(split, LocalTime.Midnight) { Days = On(day) });
        var whole = With(WholeDay with { Days = On(day) });
        var at = Instant.FromUtc(2026, 1, 1, 0, 0) + Duration.FromMinutes(random.Next(60 * 24 * 400));

        Assert.Equal(Us(Call(at, halves)).Rules().Contains(Designated), Us(Call(at, whole)).Rules().Contains(Designated));
    }
}
