using Dunwell.Data;
using Dunwell.Domain.Accounts;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using PhoneNumbers;

namespace Dunwell.Features.Accounts;

public sealed record AccountRow(
    long Id, string Reference, long DebtorId, string DebtorName, string CreditorName, AccountKind Kind, AccountStatus Status,
    string Currency, LocalDate DueDate, long BalanceMinor);

public sealed record AccountPage(IReadOnlyList<AccountRow> Rows, int Page, int PageSize, bool HasMore);

/// <summary>
/// What to look for. <see cref="Text"/> is what a person types in the search box: an account reference, the start of a
/// debtor's name, an email or a phone number. The other fields are exact filters for integrators.
/// </summary>
public sealed record AccountSearch(string? Text = null, string? Reference = null, long? DebtorId = null, string? DebtorReference = null, int Page = 1, int PageSize = 25);

/// <summary>
/// Account search that stays fast on a million accounts: every path is an index seek (reference and name as
/// prefix ranges, emails and phones as exact contact values), the matching ids are united, then one page is projected.
/// </summary>
public static class SearchAccounts
{
    public const int MaxPageSize = 100;

    /// <summary>The last page anyone may ask for: deeper than this, narrow the search (and the offset stays a small number).</summary>
    public const int MaxPage = 10_000;

    public static async Task<AccountPage> RunAsync(DunwellDb db, AccountSearch search, CancellationToken cancellationToken)
    {
        var page = Math.Clamp(search.Page, 1, MaxPage);
        var pageSize = Math.Clamp(search.PageSize, 1, MaxPageSize);
        var accounts = db.Accounts.AsNoTracking();

        if (search.Reference is { Length: > 0 } reference)
        {
            accounts = accounts.Where(a => a.Reference == reference.Trim());
        }

        if (search.DebtorId is { } debtorId)
        {
            accounts = accounts.Where(a => a.DebtorId == debtorId);
        }

        if (search.DebtorReference is { Length: > 0 } debtorReference)
        {
            accounts = accounts.Where(a => a.Debtor.Reference == debtorReference.Trim());
        }

        if (search.Text?.Trim() is { Length: > 0 } text)
        {
            accounts = MatchText(db, accounts, text);
        }

        var rows = await accounts
            .OrderBy(a => a.Reference)
            .Skip((page - 1) * pageSize)
            .Take(pageSize + 1)
            .Select(a => new AccountRow(
                a.Id, a.Reference, a.DebtorId, a.Debtor.Name, a.Creditor.Name, a.Kind, a.Status, a.Currency, a.DueDate,
                db.Ledger.Where(e => e.AccountId == a.Id).Sum(e => e.Principal + e.Interest + e.Fees)))
            .ToListAsync(cancellationToken);

        return new AccountPage([.. rows.Take(pageSize)], page, pageSize, rows.Count > pageSize);
    }

    private static IQueryable<Account> MatchText(DunwellDb db, IQueryable<Account> accounts, string text)
    {
        if (text.Contains('@', StringComparison.Ordinal))
        {
            var email = text.ToLowerInvariant();
            var debtorIds = db.DebtorContacts.Where(c => c.Kind == ContactKind.Email && c.Value == email).Select(c => c.DebtorId);
            return accounts.Where(a => debtorIds.Contains(a.DebtorId));
        }

        if (PhoneCandidates(text) is { Count: > 0 } phones)
        {
            var debtorIds = db.DebtorContacts.Where(c => c.Kind == ContactKind.Phone && phones.Contains(c.Value)).Select(c => c.DebtorId);
            return accounts.Where(a => debtorIds.Contains(a.DebtorId) || a.Reference == text);
        }

        // A prefix as a range (ref >= "abc" and ref < "abd") so both providers seek an index whatever the collation.
        // The two matches are collected separately and united: an OR across two tables would scan every account.
        var (low, high) = PrefixRange(text);
        var (nameLow, nameHigh) = PrefixRange(text.ToLowerInvariant());
        var byReference = db.Accounts.Where(a => a.Reference.CompareTo(low) >= 0 && a.Reference.CompareTo(high) < 0).Select(a => a.Id);
        var debtorsByName = db.Debtors.Where(d => d.SearchName.CompareTo(nameLow) >= 0 && d.SearchName.CompareTo(nameHigh) < 0).Select(d => d.Id);
        var byName = db.Accounts.Where(a => debtorsByName.Contains(a.DebtorId)).Select(a => a.Id);
        var ids = byReference.Union(byName);
        return accounts.Where(a => ids.Contains(a.Id));
    }

    /// <summary>E.164 forms a typed phone number could mean (as given with +, or as a US or UK national number).</summary>
    internal static List<string> PhoneCandidates(string text)
    {
        var digits = text.Count(char.IsAsciiDigit);
        if (digits < 7 || text.Any(c => !(char.IsAsciiDigit(c) || c is '+' or ' ' or '-' or '(' or ')' or '.')))
        {
            return [];
        }

        var util = PhoneNumberUtil.GetInstance();
        var found = new List<string>();
        foreach (var region in new[] { "US", "GB" })
        {
            try
            {
                var number = util.Parse(text, region);
                if (util.IsValidNumber(number))
                {
                    found.Add(util.Format(number, PhoneNumberFormat.E164));
                }
            }
            catch (NumberParseException)
            {
                // Not a number in that region; try the next.
            }
        }

        return [.. found.Distinct()];
    }

    /// <summary>The half-open range of strings that start with <paramref name="prefix"/>.</summary>
    internal static (string Low, string High) PrefixRange(string prefix) =>
        prefix[^1] == char.MaxValue
            ? (prefix, prefix + char.MaxValue) // nothing sorts after U+FFFF to bound it; this keeps the range non-empty and valid
            : (prefix, prefix[..^1] + (char)(prefix[^1] + 1));
}
