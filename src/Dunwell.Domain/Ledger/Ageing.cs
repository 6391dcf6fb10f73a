using NodaTime;

namespace Dunwell.Domain.Ledger;

public enum AgeingBucket
{
    Current,
    Days1To30,
    Days31To60,
    Days61To90,
    Days91To120,
    Over120,
}

/// <summary>Days past due and the ageing bucket, from the due date and the creditor's local "today".</summary>
public static class Ageing
{
    public static IReadOnlyList<AgeingBucket> Buckets { get; } = Enum.GetValues<AgeingBucket>();

    /// <summary>Zero on or before the due date; one the day after it.</summary>
    public static int DaysPastDue(LocalDate dueDate, LocalDate today) =>
        Math.Max(0, Period.DaysBetween(dueDate, today));

    public static AgeingBucket BucketFor(LocalDate dueDate, LocalDate today) => DaysPastDue(dueDate, today) switch
    {
        0 => AgeingBucket.Current,
        <= 30 => AgeingBucket.Days1To30,
        <= 60 => AgeingBucket.Days31To60,
        <= 90 => AgeingBucket.Days61To90,
        <= 120 => AgeingBucket.Days91To120,
        _ => AgeingBucket.Over120,
    };

    public static string Label(AgeingBucket bucket) => bucket switch
    {
        AgeingBucket.Current => "Current",
        AgeingBucket.Days1To30 => "1–30 days",
        AgeingBucket.Days31To60 => "31–60 days",
        AgeingBucket.Days61To90 => "61–90 days",
        AgeingBucket.Days91To120 => "91–120 days",
        AgeingBucket.Over120 => "120+ days",
    };

    /// <summary>The wire name of a bucket: current, 1-30, 31-60, 61-90, 91-120, 120+.</summary>
    public static string Key(AgeingBucket bucket) => bucket switch
    {
        AgeingBucket.Current => "current",
        AgeingBucket.Days1To30 => "1-30",
        AgeingBucket.Days31To60 => "31-60",
        AgeingBucket.Days61To90 => "61-90",
        AgeingBucket.Days91To120 => "91-120",
        AgeingBucket.Over120 => "120+",
    };
}
