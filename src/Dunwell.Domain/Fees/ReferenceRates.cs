using NodaTime;

namespace Dunwell.Domain.Fees;

/// <summary>A published rate from a date on, in basis points (375 = 3.75%).</summary>
public sealed record RatePoint(LocalDate EffectiveFrom, int BasisPoints);

/// <summary>A dated table of a central bank's rate (Bank Rate, ECB main refinancing rate), maintained as data by an admin.</summary>
public sealed class ReferenceRates
{
    private readonly RatePoint[] _points;

    public ReferenceRates(IEnumerable<RatePoint> points)
    {
        _points = [.. points.OrderBy(p => p.EffectiveFrom)];
        for (var i = 1; i < _points.Length; i++)
        {
            if (_points[i].EffectiveFrom == _points[i - 1].EffectiveFrom)
            {
                throw new ArgumentException($"Two rates take effect on {_points[i].EffectiveFrom:yyyy-MM-dd}.", nameof(points));
            }
        }
    }

    /// <summary>The rate in force on <paramref name="date"/>, or null when the table starts later.</summary>
    public int? InForceOn(LocalDate date)
    {
        int? found = null;
        foreach (var point in _points)
        {
            if (point.EffectiveFrom > date)
            {
                break;
            }

            found = point.BasisPoints;
        }

        return found;
    }
}
