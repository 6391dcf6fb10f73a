using Dunwell.Domain.Amounts;
using NodaTime;

namespace Dunwell.Domain.Arrangements;

public enum Frequency
{
    Weekly,
    Fortnightly,
    Monthly,
}

public sealed record Instalment(int Number, LocalDate DueOn, Money Amount);

/// <summary>
/// Instalment dates and amounts for a plan. Amounts add up to the total exactly (split to the minor unit, earlier
/// instalments carrying the odd units); monthly dates are counted from the first date, so a plan that starts on
/// 31 January falls due on 28 (or 29) February and then 31 March again.
/// </summary>
public static class InstalmentSchedule
{
    public static IReadOnlyList<Instalment> Generate(Money total, LocalDate firstDue, Frequency frequency, int count, Money? downPayment = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        ArgumentOutOfRangeException.ThrowIfNegative(total.Minor);

        var instalments = new List<Instalment>(count + 1);
        var rest = total;
        if (downPayment is { Minor: > 0 } down)
        {
            if (down.Minor > total.Minor)
            {
                throw new ArgumentOutOfRangeException(nameof(downPayment), "A down payment cannot exceed the total.");
            }

            instalments.Add(new Instalment(1, firstDue, down));
            rest = total - down;
        }

        // Every date counts from the first one, not from the one before it: 31 Jan, 28 Feb, 31 Mar, not 28 Mar.
        var offset = instalments.Count;
        var parts = rest.Split(count);
        for (var i = 0; i < count; i++)
        {
            instalments.Add(new Instalment(instalments.Count + 1, DueOn(firstDue, frequency, i + offset), parts[i]));
        }

        return instalments;
    }

    /// <summary>The date of the instalment <paramref name="index"/> steps after <paramref name="anchor"/>.</summary>
    public static LocalDate DueOn(LocalDate anchor, Frequency frequency, int index) => frequency switch
    {
        Frequency.Weekly => anchor.PlusWeeks(index),
        Frequency.Fortnightly => anchor.PlusWeeks(2 * index),
        Frequency.Monthly => anchor.PlusMonths(index),
    };
}
