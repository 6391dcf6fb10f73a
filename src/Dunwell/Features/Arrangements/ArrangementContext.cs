using System.Security.Claims;
using Dunwell.Data;
using Dunwell.Domain.Accounts;
using Dunwell.Domain.Amounts;
using Dunwell.Domain.Arrangements;
using Dunwell.Domain.Ledger;
using Dunwell.Features.Accounts;
using Dunwell.Features.CreditorPolicies;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Dunwell.Features.Arrangements;

/// <summary>What every arrangement decision needs about one account: its balance, age, currency and the policy in force.</summary>
public sealed record ArrangementContext(
    long AccountId, long CreditorId, string Reference, Currency Currency, Components Balance, LocalDate Today, int DaysPastDue, PolicyInForce Policy)
{
    public static async Task<ArrangementContext?> LoadAsync(
        DunwellDb db, long accountId, Instant now, LocalDate? asOf, IDateTimeZoneProvider zones, CancellationToken cancellationToken)
    {
        var account = await db.Accounts.AsNoTracking()
            .Where(a => a.Id == accountId)
            .Select(a => new { a.Id, a.CreditorId, a.Reference, a.Currency, a.DueDate, a.Creditor.TimeZone })
            .SingleOrDefaultAsync(cancellationToken);
        if (account is null)
        {
            return null;
        }

        var today = asOf ?? now.InZone(zones.GetZoneOrNull(account.TimeZone) ?? DateTimeZone.Utc).Date;
        var balance = await AccountQueries.BalanceAsync(db, accountId, cancellationToken);
        var policy = await PolicyStore.CurrentAsync(db, account.CreditorId, cancellationToken);
        var daysPastDue = balance.Total > 0 ? Ageing.DaysPastDue(account.DueDate, today) : 0;
        return new ArrangementContext(account.Id, account.CreditorId, account.Reference, Currency.Of(account.Currency), balance, today, daysPastDue, policy);
    }

    /// <summary>The offers policy allows today, each with what the given role's authority says of it.</summary>
    /// <remarks>Includes the longest plans the role may agree alone when the policy allows longer ones (OptionsEngine).</remarks>
    public IReadOnlyList<(Offer Offer, AuthorityDecision Decision)> OffersFor(string role) =>
        [.. OptionsEngine.Offers(Balance, Currency, DaysPastDue, Today, Policy.Policy, Authority.LimitsOf(Policy.Policy, role))
            .Select(o => (o, Authority.Check(o.ToTerms(Balance), Policy.Policy, role, DaysPastDue, Today)))];

    /// <summary>The role that could approve <paramref name="offer"/>: a supervisor, or only an admin when it is beyond every limited role.</summary>
    public string ApproverFor(Offer offer) => Authority.ApproverFor(offer.ToTerms(Balance), Policy.Policy, DaysPastDue, Today);

    /// <summary>The role whose authority limits apply: the highest the caller holds.</summary>
    public static string RoleOf(ClaimsPrincipal user) =>
        new[] { Roles.Admin, Roles.Supervisor, Roles.Agent, Roles.Auditor }.FirstOrDefault(user.IsInRole) ?? Roles.Auditor;
}
