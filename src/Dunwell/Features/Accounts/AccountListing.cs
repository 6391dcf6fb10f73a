using System.Globalization;
using System.Security.Claims;
using Dunwell.Data;
using Dunwell.Domain.Ledger;
using Dunwell.Web;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Dunwell.Features.Accounts;

/// <summary>One row of the accounts page: the search row plus days past due in its creditor's calendar.</summary>
public sealed record AccountListRow(AccountRow Account, int DaysPastDue);

/// <summary>One page of search results as the accounts page and its htmx fragment show it.</summary>
public sealed record AccountListing(string? Query, IReadOnlyList<AccountListRow> Rows, int Page, bool HasMore)
{
    public string PageUrl(int page) => Url("/accounts", page);

    /// <summary>The page asked for in a link's <c>page</c> value; anything that is not a page number is the first page.</summary>
    public static int PageFrom(string? text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var page) && page is >= 1 and <= SearchAccounts.MaxPage ? page : 1;

    public string FragmentUrl(int page) => Url("/accounts/results", page);

    private string Url(string path, int page)
    {
        var query = new List<string>();
        if (!string.IsNullOrWhiteSpace(Query))
        {
            query.Add($"q={Uri.EscapeDataString(Query.Trim())}");
        }

        if (page > 1)
        {
            query.Add(string.Create(CultureInfo.InvariantCulture, $"page={page}"));
        }

        return query.Count == 0 ? path : $"{path}?{string.Join('&', query)}";
    }
}

/// <summary>
/// The accounts page's read: <see cref="SearchAccounts"/> for the rows, the creditors' zones for days past due, and an
/// <c>account.search</c> audit event naming the accounts shown whenever debtor data is returned.
/// </summary>
public static class AccountListingQuery
{
    public static async Task<AccountListing> LoadAsync(
        DunwellDb db, string? text, int page, ClaimsPrincipal viewer, Instant now, IDateTimeZoneProvider zones, CancellationToken cancellationToken)
    {
        var query = text?.Trim() is { Length: > 0 } trimmed ? trimmed[..Math.Min(trimmed.Length, 200)] : null;
        var found = await SearchAccounts.RunAsync(db, new AccountSearch(Text: query, Page: Math.Max(1, page)), cancellationToken);

        var ids = found.Rows.Select(r => r.Id).ToList();
        var creditorZones = await db.Accounts.AsNoTracking()
            .Where(a => ids.Contains(a.Id))
            .Select(a => new { a.Id, a.Creditor.TimeZone })
            .ToDictionaryAsync(a => a.Id, a => a.TimeZone, cancellationToken);

        var rows = found.Rows
            .Select(r =>
            {
                var zone = creditorZones.TryGetValue(r.Id, out var id) && zones.GetZoneOrNull(id) is { } z ? z : DateTimeZone.Utc;
                return new AccountListRow(r, Ageing.DaysPastDue(r.DueDate, now.InZone(zone).Date));
            })
            .ToList();

        // One event per debtor shown, as the API records it, so "who saw debtor X" is one query.
        await AuditLog.RecordReadsAsync(db, viewer, now,
            [.. found.Rows.GroupBy(r => r.DebtorId).Select(debtor => new AuditLog.Read(AuditLog.Actions.AccountSearch, $"debtor:{debtor.Key}",
                $"q={query}; page={found.Page}; accounts={string.Join(',', debtor.Select(r => r.Id.ToString(CultureInfo.InvariantCulture)))}"))],
            cancellationToken);

        return new AccountListing(query, rows, found.Page, found.HasMore);
    }
}
