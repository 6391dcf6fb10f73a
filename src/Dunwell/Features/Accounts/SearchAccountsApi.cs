using System.Globalization;
using System.Security.Claims;
using Dunwell.Data;
using Dunwell.Domain.Accounts;
using Dunwell.Web;
using Dunwell.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;

namespace Dunwell.Features.Accounts;

/// <summary>
/// GET /api/v1/accounts?q=&amp;reference=&amp;debtor=&amp;debtorReference=&amp;page=&amp;pageSize=: account search.
/// <c>q</c> is what a person types (a reference or the start of one, the start of a debtor's name, an email, a phone
/// number); the others are exact filters. Each debtor whose data appears in the results gets an audit event.
/// </summary>
public static class SearchAccountsApi
{
    public sealed record Item(
        long Id, string Reference, long DebtorId, string DebtorName, string CreditorName, AccountKind Kind, AccountStatus Status,
        DateOnly DueDate, MoneyAmount Balance, MoneyAmount? CreditBalance);

    public sealed record Response(IReadOnlyList<Item> Items, int Page, int PageSize, bool HasMore, string? Next);

    public static RouteHandlerBuilder Map(IEndpointRouteBuilder api) =>
        api.MapGet("/accounts", HandleAsync)
            .WithName(nameof(SearchAccounts))
            .WithSummary("Search accounts by reference, debtor name prefix, email or phone; paged")
            .WithTags("Accounts")
            .RequireAuthorization(Policies.Read);

    internal static async Task<Results<Ok<Response>, ValidationProblem>> HandleAsync(
        string? q,
        string? reference,
        long? debtor,
        string? debtorReference,
        int? page,
        int? pageSize,
        DunwellDb db,
        TimeProvider clock,
        ClaimsPrincipal user,
        CancellationToken cancellationToken)
    {
        var search = new AccountSearch(q, reference, debtor, debtorReference, page ?? 1, pageSize ?? 25);
        if (Validate(search) is { Count: > 0 } errors)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var found = await SearchAccounts.RunAsync(db, search, cancellationToken);

        var now = clock.Now();
        var detail = Describe(search);
        await AuditLog.RecordReadsAsync(db, user, now,
            [.. found.Rows.Select(r => r.DebtorId).Distinct().Select(debtorId => new AuditLog.Read(AuditLog.Actions.AccountSearch, $"debtor:{debtorId}", detail))],
            cancellationToken);

        var items = found.Rows
            .Select(r => new Item(r.Id, r.Reference, r.DebtorId, r.DebtorName, r.CreditorName, r.Kind, r.Status, r.DueDate.ToDateOnly(),
                MoneyAmount.Of(r.BalanceMinor, r.Currency), Payments.PostPayment.CreditOf(r.BalanceMinor, r.Currency)))
            .ToList();
        var next = found.HasMore ? Link(search with { Page = found.Page + 1, PageSize = found.PageSize }) : null;
        return TypedResults.Ok(new Response(items, found.Page, found.PageSize, found.HasMore, next));
    }

    internal static Dictionary<string, string[]> Validate(AccountSearch search)
    {
        var errors = new Dictionary<string, string[]>();
        if (search.Page is < 1 or > SearchAccounts.MaxPage)
        {
            errors["page"] = [$"Ask for a page from 1 to {SearchAccounts.MaxPage}; to go deeper, narrow the search."];
        }

        if (search.PageSize is < 1 or > SearchAccounts.MaxPageSize)
        {
            errors["pageSize"] = [$"Ask for 1 to {SearchAccounts.MaxPageSize} accounts per page."];
        }

        if (search.Text is { Length: > 200 })
        {
            errors["q"] = ["Keep the search under 200 characters."];
        }

        return errors;
    }

    private static string Link(AccountSearch search)
    {
        var query = new Dictionary<string, string?>
        {
            ["q"] = search.Text,
            ["reference"] = search.Reference,
            ["debtor"] = search.DebtorId?.ToString(CultureInfo.InvariantCulture),
            ["debtorReference"] = search.DebtorReference,
            ["page"] = search.Page.ToString(CultureInfo.InvariantCulture),
            ["pageSize"] = search.PageSize.ToString(CultureInfo.InvariantCulture),
        };
        return QueryHelpers.AddQueryString("/api/v1/accounts", query.Where(p => !string.IsNullOrEmpty(p.Value)));
    }

    private static string Describe(AccountSearch search) => string.Join(
        "&",
        new[] { ("q", search.Text), ("reference", search.Reference), ("debtor", search.DebtorId?.ToString(CultureInfo.InvariantCulture)), ("debtorReference", search.DebtorReference) }
            .Where(p => !string.IsNullOrEmpty(p.Item2))
            .Select(p => $"{p.Item1}={p.Item2}"));
}
