using System.Globalization;
using Dunwell.Data;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using NodaTime.Text;

namespace Dunwell.Features.Audit;

/// <summary>What to read from the audit trail: exact subject, actor and action, a time range [from, to), and a page.</summary>
public sealed record AuditFilter(string? Subject, string? Actor, string? Action, Instant? From, Instant? To, int Page, int PageSize);

public sealed record AuditRow(long Id, Instant At, string Actor, string Action, string Subject, string? Detail);

/// <summary>The one query the API and the page share: newest first, paged, every condition in SQL.</summary>
public static class AuditTrailQuery
{
    public const int MaxPageSize = 200;

    public const int DefaultPageSize = 50;

    // Far enough for any real trail; bounds the offset the database is asked to skip.
    public const int MaxPage = 100_000;

    private static readonly Instant Earliest = Instant.FromUtc(1900, 1, 1, 0, 0);
    private static readonly Instant Latest = Instant.FromUtc(2200, 1, 1, 0, 0);

    /// <summary>The page, whether there is more, and how many recent read events are still spooled (not yet in the trail).</summary>
    public static async Task<(IReadOnlyList<AuditRow> Rows, bool HasMore, long Spooled)> RunAsync(DunwellDb db, AuditFilter filter, CancellationToken cancellationToken)
    {
        var spooled = await AuditSpool.MoveAllAsync(db, cancellationToken);
        var events = db.AuditEvents.AsNoTracking();
        if (filter.Subject is { Length: > 0 } subject)
        {
            events = events.Where(e => e.Subject == subject);
        }

        if (filter.Actor is { Length: > 0 } actor)
        {
            events = events.Where(e => e.Actor == actor);
        }

        if (filter.Action is { Length: > 0 } action)
        {
            events = events.Where(e => e.Action == action);
        }

        if (filter.From is { } from)
        {
            events = events.Where(e => e.At >= from);
        }

        if (filter.To is { } to)
        {
            events = events.Where(e => e.At < to);
        }

        var rows = await events
            .OrderByDescending(e => e.At).ThenByDescending(e => e.Id)
            .Skip((filter.Page - 1) * filter.PageSize)
            .Take(filter.PageSize + 1)
            .Select(e => new AuditRow(e.Id, e.At, e.Actor, e.Action, e.Subject, e.Detail))
            .ToListAsync(cancellationToken);
        var hasMore = rows.Count > filter.PageSize;
        return (hasMore ? rows[..filter.PageSize] : rows, hasMore, spooled);
    }

    /// <summary>Reads the filter from query text, naming each field it refuses; null fields are absent.</summary>
    public static (AuditFilter? Filter, Dictionary<string, string[]> Errors) Parse(
        string? subject, string? actor, string? action, string? from, string? to, string? page, string? pageSize)
    {
        var errors = new Dictionary<string, string[]>();
        var fromAt = ParseInstant(from, "from", errors);
        var toAt = ParseInstant(to, "to", errors);
        var pageNumber = Number(page, "page", 1, MaxPage, 1, errors);
        var size = Number(pageSize, "pageSize", 1, MaxPageSize, DefaultPageSize, errors);
        foreach (var (name, value, length) in new[] { ("subject", subject, 128), ("actor", actor, 256), ("action", action, 64) })
        {
            if (value is { Length: > 0 } && value.Length > length)
            {
                errors[name] = [$"Keep {name} under {length + 1} characters."];
            }
        }

        if (fromAt is { } f && toAt is { } t && t <= f)
        {
            errors["to"] = ["'to' must be after 'from'."];
        }

        return errors.Count > 0
            ? (null, errors)
            : (new AuditFilter(Blank(subject), Blank(actor), Blank(action), fromAt, toAt, pageNumber, size), errors);
    }

    /// <summary>The query string of a filter (for the next page's link and the audit event of the read itself).</summary>
    public static IEnumerable<KeyValuePair<string, string?>> QueryOf(AuditFilter filter, int page) =>
        new KeyValuePair<string, string?>[]
        {
            new("subject", filter.Subject),
            new("actor", filter.Actor),
            new("action", filter.Action),
            new("from", filter.From is { } f ? InstantPattern.ExtendedIso.Format(f) : null),
            new("to", filter.To is { } t ? InstantPattern.ExtendedIso.Format(t) : null),
            new("page", page.ToString(CultureInfo.InvariantCulture)),
            new("pageSize", filter.PageSize.ToString(CultureInfo.InvariantCulture)),
        }.Where(p => !string.IsNullOrEmpty(p.Value));

    public static string Describe(AuditFilter filter) => string.Join("&", QueryOf(filter, filter.Page).Select(p => $"{p.Key}={p.Value}"));

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private static Instant? ParseInstant(string? text, string field, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var parsed = OffsetDateTimePattern.ExtendedIso.Parse(text.Trim());
        if (!parsed.Success)
        {
            errors[field] = ["Give an instant with an offset or Z, like 2026-03-02T12:00:00Z."];
            return null;
        }

        var instant = parsed.Value.ToInstant();
        if (instant < Earliest || instant >= Latest)
        {
            errors[field] = ["Give an instant between 1900-01-01 and 2199-12-31."];
            return null;
        }

        return instant;
    }

    private static int Number(string? text, string field, int min, int max, int absent, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return absent;
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            errors[field] = [$"Give a whole number from {min} to {max}."];
            return absent;
        }

        return value;
    }
}
