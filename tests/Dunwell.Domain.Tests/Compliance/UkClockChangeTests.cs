using Dunwell.Domain.Compliance;
using NodaTime;
using static Dunwell.Domain.Tests.Compliance.Scenario;

namespace Dunwell.Domain.Tests.Compliance;

/// <summary>
/// The UK pack's 08:00–21:00 (21:00:00 allowed) is London local time, so its UTC instants move with the clocks.
/// In 2026 BST (UTC+1) starts on Sunday 29 March at 01:00 UTC and ends on Sunday 25 October at 01:00 UTC.
/// Every instant here is written in UTC.
/// </summary>
public sealed class UkClockChangeTests
{
    private static ContactDecision CallAt(Instant at) => Uk(Call(at, Person(Phone("mobile", LondonPhone))));

    [Theory]
    // Saturday 28 March, still GMT: 08:00 is 08:00 UTC.
    [InlineData(3, 28, 7, 59, 59, false)]
    [InlineData(3, 28, 8, 0, 0, true)]
    // Sunday 29 March, BST from 01:00 UTC: 08:00 is 07:00 UTC and 21:00 is 20:00 UTC.
    [InlineData(3, 29, 6, 59, 59, false)]
    [InlineData(3, 29, 7, 0, 0, true)]
    [InlineData(3, 29, 20, 0, 0, true)]
    [InlineData(3, 29, 20, 0, 1, false)]
    // Monday 30 March, BST.
    [InlineData(3, 30, 6, 59, 59, false)]
    [InlineData(3, 30, 7, 0, 0, true)]
    [InlineData(3, 30, 20, 0, 0, true)]
    [InlineData(3, 30, 20, 0, 1, false)]
    public void The_window_moves_an_hour_earlier_in_UTC_when_BST_starts(int month, int day, int hour, int minute, int second, bool allowed)
    {
        var decision = CallAt(Instant.FromUtc(2026, month, day, hour, minute, second));

        Assert.Equal(allowed, decision.Allowed);
        Assert.Equal(allowed ? Array.Empty<string>() : ["uk.fca.unreasonable-time"], decision.Rules());
    }

    [Theory]
    // Saturday 24 October, still BST: 08:00 is 07:00 UTC.
    [InlineData(10, 24, 6, 59, 59, false)]
    [InlineData(10, 24, 7, 0, 0, true)]
    // Sunday 25 October, GMT from 01:00 UTC: 08:00 is 08:00 UTC and 21:00 is 21:00 UTC.
    [InlineData(10, 25, 7, 59, 59, false)]
    [InlineData(10, 25, 8, 0, 0, true)]
    [InlineData(10, 25, 21, 0, 0, true)]
    [InlineData(10, 25, 21, 0, 1, false)]
    // Monday 26 October, GMT.
    [InlineData(10, 26, 7, 59, 59, false)]
    [InlineData(10, 26, 8, 0, 0, true)]
    [InlineData(10, 26, 21, 0, 0, true)]
    [InlineData(10, 26, 21, 0, 1, false)]
    public void The_window_moves_an_hour_later_in_UTC_when_BST_ends(int month, int day, int hour, int minute, int second, bool allowed)
    {
        var decision = CallAt(Instant.FromUtc(2026, month, day, hour, minute, second));

        Assert.Equal(allowed, decision.Allowed);
        Assert.Equal(allowed ? Array.Empty<string>() : ["uk.fca.unreasonable-time"], decision.Rules());
    }

    [Theory]
    // Monday 12 January 2026, GMT: London time is UTC.
    [InlineData(7, 59, 59, false)]
    [InlineData(8, 0, 0, true)]
    [InlineData(21, 0, 0, true)]
    [InlineData(21, 0, 1, false)]
    public void In_winter_the_window_is_08_00_to_21_00_UTC(int hour, int minute, int second, bool allowed)
    {
        Assert.Equal(allowed, CallAt(Instant.FromUtc(2026, 1, 12, hour, minute, second)).Allowed);
    }

    [Fact]
    public void Refused_on_the_Saturday_night_before_BST_starts_the_next_call_is_08_00_BST_on_Sunday()
    {
        var decision = CallAt(Instant.FromUtc(2026, 3, 28, 21, 30)); // 21:30 GMT

        Assert.Equal(Instant.FromUtc(2026, 3, 29, 7, 0), decision.NextAllowedAt);
    }

    [Fact]
    public void Refused_either_side_of_the_skipped_hour_the_next_call_is_08_00_BST()
    {
        // 00:59:59 GMT is the last second before the clocks jump; 01:00 UTC is already 02:00 BST.
        Assert.Equal(Instant.FromUtc(2026, 3, 29, 7, 0), CallAt(Instant.FromUtc(2026, 3, 29, 0, 59, 59)).NextAllowedAt);
        Assert.Equal(Instant.FromUtc(2026, 3, 29, 7, 0), CallAt(Instant.FromUtc(2026, 3, 29, 1, 0)).NextAllowedAt);
    }

    [Fact]
    public void Refused_on_the_Saturday_night_before_BST_ends_the_next_call_is_08_00_GMT_on_Sunday()
    {
        var decision = CallAt(Instant.FromUtc(2026, 10, 24, 20, 30)); // 21:30 BST

        Assert.Equal(Instant.FromUtc(2026, 10, 25, 8, 0), decision.NextAllowedAt);
    }

    [Fact]
    public void Refused_in_either_pass_of_the_repeated_hour_the_next_call_is_08_00_GMT()
    {
        // 01:30 London happens twice: at 00:30 UTC (BST) and at 01:30 UTC (GMT).
        Assert.Equal(Instant.FromUtc(2026, 10, 25, 8, 0), CallAt(Instant.FromUtc(2026, 10, 25, 0, 30)).NextAllowedAt);
        Assert.Equal(Instant.FromUtc(2026, 10, 25, 8, 0), CallAt(Instant.FromUtc(2026, 10, 25, 1, 30)).NextAllowedAt);
    }

    [Fact]
    public void Refused_after_21_00_on_the_Sunday_BST_ends_the_next_call_is_08_00_GMT_on_Monday()
    {
        var decision = CallAt(Instant.FromUtc(2026, 10, 25, 21, 0, 1));

        Assert.Equal(Instant.FromUtc(2026, 10, 26, 8, 0), decision.NextAllowedAt);
    }
}
