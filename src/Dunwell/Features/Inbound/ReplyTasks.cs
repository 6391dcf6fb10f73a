using Dunwell.Data;
using Dunwell.Domain.Inbound;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Dunwell.Features.Inbound;

/// <summary>A task with where it stands against its deadline, for the worklist to rank and the supervisor page.</summary>
public sealed record TaskLine(long Id, long AccountId, string AccountReference, WorkTaskKind Kind, string Title, Instant DueAt, DeadlineState DeadlineState, Instant CreatedAt, Instant? ClosedAt);

/// <summary>Breaches on one day: replies due that day (the creditor's day) that were late or are still unanswered past the deadline.</summary>
public sealed record BreachDay(LocalDate Date, int Breaches);

/// <summary>How fast customers' messages were answered in a period: from arrival to the reply queued.</summary>
public sealed record ResponseFigures(Instant From, Instant To, int Received, int Answered, Duration? Median, Duration? P90, int OpenPastDeadline, IReadOnlyList<BreachDay> BreachesPerDay);

public static class ReplyTasks
{
    /// <summary>A task is "due soon" this long before its deadline.</summary>
    public static readonly Duration Soon = Duration.FromHours(2);

    public const int MaxLines = 500;

    /// <summary>Open tasks (of a kind, due before an instant when given), the nearest deadline first; scoped like every query.</summary>
    public static async Task<IReadOnlyList<TaskLine>> OpenAsync(DunwellDb db, WorkTaskKind? kind, Instant? dueBefore, Instant now, CancellationToken cancellationToken)
    {
        var query = db.Tasks.AsNoTracking().Where(t => t.ClosedAt == null);
        if (kind is { } k)
        {
            query = query.Where(t => t.Kind == k);
        }

        if (dueBefore is { } before)
        {
            query = query.Where(t => t.DueAt < before);
        }

        var rows = await query.OrderBy(t => t.DueAt).ThenBy(t => t.Id).Take(MaxLines)
            .Join(db.Accounts, t => t.AccountId, a => a.Id, (t, a) => new { t.Id, t.AccountId, a.Reference, t.Kind, t.Title, t.DueAt, t.CreatedAt, t.ClosedAt })
            .ToListAsync(cancellationToken);
        return [.. rows.OrderBy(r => r.DueAt).ThenBy(r => r.Id)
            .Select(r => new TaskLine(r.Id, r.AccountId, r.Reference, r.Kind, r.Title, r.DueAt, ResponseDeadline.StateAt(r.DueAt, now, Soon), r.CreatedAt, r.ClosedAt))];
    }

    /// <summary>The response-time figures over the <paramref name="days"/> days to <paramref name="now"/>, by reply tasks opened then.</summary>
    public static async Task<ResponseFigures> FiguresAsync(DunwellDb db, int days, Instant now, CancellationToken cancellationToken)
    {
        var from = now - Duration.FromDays(days);
        var rows = await db.Tasks.AsNoTracking()
            .Where(t => t.Kind == WorkTaskKind.InboundReply && t.CreatedAt >= from && t.CreatedAt <= now)
            .Join(db.InboundMessages, t => t.Id, m => m.TaskId, (t, m) => new { t.AccountId, t.DueAt, t.ClosedAt, m.ReceivedAt })
            .Join(db.Accounts, x => x.AccountId, a => a.Id, (x, a) => new { x.DueAt, x.ClosedAt, x.ReceivedAt, a.Creditor.TimeZone })
            .Take(100_000)
            .ToListAsync(cancellationToken);
        var times = rows.Where(r => r.ClosedAt is not null).Select(r => r.ClosedAt!.Value - r.ReceivedAt).Order().ToList();
        var breaches = rows.Where(r => (r.ClosedAt ?? now) > r.DueAt)
            .GroupBy(r => r.DueAt.InZone(DateTimeZoneProviders.Tzdb.GetZoneOrNull(r.TimeZone) ?? DateTimeZone.Utc).Date)
            .OrderBy(g => g.Key).Select(g => new BreachDay(g.Key, g.Count())).ToList();
        return new ResponseFigures(from, now, rows.Count, times.Count, Percentile(times, 50), Percentile(times, 90),
            rows.Count(r => r.ClosedAt is null && now > r.DueAt), breaches);
    }

    /// <summary>The nearest-rank percentile: the smallest time at least <paramref name="percent"/>% of replies took no longer than.</summary>
    public static Duration? Percentile(IReadOnlyList<Duration> sorted, int percent)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        if (sorted.Count == 0)
        {
            return null;
        }

        var rank = (int)Math.Ceiling(percent / 100.0 * sorted.Count);
        return sorted[Math.Clamp(rank, 1, sorted.Count) - 1];
    }

    /// <summary>A duration as a person reads it: "3 h 20 min", "2 d 4 h".</summary>
    public static string Words(Duration? duration)
    {
        if (duration is not { } d)
        {
            return "—";
        }

        var minutes = (long)Math.Round(d.TotalMinutes);
        return minutes switch
        {
            < 60 => $"{minutes} min",
            < 24 * 60 => $"{minutes / 60} h {minutes % 60} min",
            _ => $"{minutes / (24 * 60)} d {minutes / 60 % 24} h",
        };
    }
}
