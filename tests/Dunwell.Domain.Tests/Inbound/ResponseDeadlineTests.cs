using Dunwell.Domain.Inbound;
using FsCheck.Xunit;
using NodaTime;

namespace Dunwell.Domain.Tests.Inbound;

public sealed class ResponseDeadlineTests
{
    private static readonly DateTimeZone NewYork = DateTimeZoneProviders.Tzdb["America/New_York"];

    private static Instant Due(Instant received, ResponseTimes? times = null, string pack = "US-FDCPA") =>
        ResponseDeadline.Due(received, NewYork, times ?? ResponseTimes.Default, BusinessCalendar.For(pack));

    private static Instant At(int year, int month, int day, int hour, int minute = 0) =>
        new LocalDateTime(year, month, day, hour, minute).InZoneStrictly(NewYork).ToInstant();

    [Fact]
    public void A_message_on_Friday_evening_is_due_at_the_end_of_Monday_in_the_creditors_zone()
    {
        // 6 March 2026 is a Friday; the clocks go forward on Sunday 8 March, so Monday's close is 21:00 UTC, not 22:00.
        var due = Due(At(2026, 3, 6, 19, 0));

        Assert.Equal(At(2026, 3, 9, 17, 0), due);
        Assert.Equal(Instant.FromUtc(2026, 3, 9, 21, 0), due);
    }

    [Fact]
    public void A_message_in_business_hours_is_due_one_business_day_later()
    {
        Assert.Equal(At(2026, 3, 4, 10, 30), Due(At(2026, 3, 3, 10, 30)));
        Assert.Equal(At(2026, 3, 9, 10, 30), Due(At(2026, 3, 6, 10, 30))); // Friday morning: Monday morning
    }

    [Fact]
    public void Holidays_of_the_US_pack_are_skipped_and_other_packs_keep_weekdays()
    {
        // Friday 3 July 2026 is the observed Independence Day (the 4th is a Saturday).
        Assert.Equal(At(2026, 7, 6, 17, 0), Due(At(2026, 7, 2, 18, 0)));
        Assert.Equal(At(2026, 7, 3, 17, 0), Due(At(2026, 7, 2, 18, 0), pack: "UK-FCA"));
        Assert.Equal(At(2026, 11, 27, 11, 0), Due(At(2026, 11, 25, 11, 0))); // Thanksgiving Thursday
    }

    [Fact]
    public void The_response_time_is_a_policy_setting()
    {
        var fourHours = new ResponseTimes(new LocalTime(8, 0), new LocalTime(18, 0), 4);

        Assert.Equal(At(2026, 3, 4, 11, 0), Due(At(2026, 3, 3, 17, 0), fourHours)); // 1 hour Tuesday, 3 Wednesday
        Assert.NotEmpty(new ResponseTimes(new LocalTime(17, 0), new LocalTime(9, 0), 8).Validate());
        Assert.NotEmpty(new ResponseTimes(new LocalTime(9, 0), new LocalTime(17, 0), 0).Validate());
        Assert.Empty(ResponseTimes.Default.Validate());
    }

    [Property(MaxTest = 500)]
    public void The_deadline_is_never_before_the_message_and_always_inside_business_hours(int minutes, byte opens, byte length, byte hours, bool us)
    {
        var received = Instant.FromUtc(2025, 1, 1, 0, 0) + Duration.FromMinutes(Math.Abs(minutes % (3 * 366 * 24 * 60)));
        var open = new LocalTime(5 + (opens % 8), 0);
        var close = open.PlusHours(1 + (length % 11)); // 23:00 at the latest
        var times = new ResponseTimes(open, close, 1 + (hours % 40));
        var pack = us ? "US-FDCPA" : "B2B";

        var due = Due(received, times, pack);

        var local = due.InZone(NewYork).LocalDateTime;
        Assert.True(due >= received, $"{due} is before {received}.");
        Assert.True(BusinessCalendar.For(pack)(local.Date), $"{local} is not a business day.");
        Assert.InRange(local.TimeOfDay, open, close);
        Assert.True(due - received >= Duration.FromHours(times.WithinBusinessHours) || local.TimeOfDay == close || due == received,
            "A deadline closer than the hours asked for must fall on the close of a day.");
    }

    [Theory]
    [InlineData("I have a lawyer now, talk to him", InboundSignals.Attorney)]
    [InlineData("Mi abogado se comunicará con ustedes", InboundSignals.Attorney)]
    [InlineData("This is not my debt and I already paid", InboundSignals.Dispute)]
    [InlineData("No es mi deuda", InboundSignals.Dispute)]
    [InlineData("I lost my job and can't afford this", InboundSignals.Hardship)]
    [InlineData("Perdí mi trabajo, no puedo pagar", InboundSignals.Hardship)]
    [InlineData("Please stop contacting me", InboundSignals.Stop)]
    [InlineData("Dejen de llamar por favor", InboundSignals.Stop)]
    [InlineData("Thanks, I will pay on Friday", InboundSignals.None)]
    public void Words_that_ask_for_something_are_flagged(string text, InboundSignals expected) =>
        Assert.Equal(expected, InboundWords.Flags(text));

    [Theory]
    [InlineData("STOP", true)]
    [InlineData(" stop ", true)]
    [InlineData("Unsubscribe", true)]
    [InlineData("quit.", true)]
    [InlineData("STOPALL", true)]
    [InlineData("stop calling me at work", false)]
    [InlineData("I can't stop thinking about this bill", false)]
    public void Only_a_stop_keyword_as_the_whole_text_is_an_opt_out(string body, bool optOut) =>
        Assert.Equal(optOut, InboundWords.IsStopKeyword(body));
}
