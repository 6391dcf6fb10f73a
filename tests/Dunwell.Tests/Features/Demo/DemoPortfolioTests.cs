using Dunwell.Data;
using Dunwell.Domain.Accounts;
using Dunwell.Domain.Ledger;
using Dunwell.Features.Demo;
using Dunwell.Tests.Support;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace Dunwell.Tests.Features.Demo;

public sealed class DemoPortfolioTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task The_demo_fills_an_empty_database_once_with_accounts_records_and_a_user_per_role(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Instant.FromUtc(2026, 3, 2, 15, 30));

        var first = await SeedAsync(app);
        var counts = await CountAsync(app);
        var second = await SeedAsync(app);

        Assert.True(first.Seeded);
        Assert.Equal((600, 3, 6), (first.Accounts, first.Creditors, first.UsersAdded));
        Assert.False(second.Seeded);
        Assert.Equal((600, 3, 0), (second.Accounts, second.Creditors, second.UsersAdded));
        Assert.Equal(counts, await CountAsync(app));
        Assert.Equal(600, counts.Charges);
        Assert.InRange(counts.Payments, 50, 1000);
        Assert.InRange(counts.Interactions, 300, 5000);

        await using var scope = app.Services.CreateSystemScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<DunwellUser>>();
        foreach (var (email, role, _) in DemoPortfolio.Users)
        {
            var user = await users.FindByEmailAsync(email);
            Assert.NotNull(user);
            Assert.True(await users.IsInRoleAsync(user, role));
            Assert.True(await users.CheckPasswordAsync(user, DemoPortfolio.Password));
        }

        // Paid accounts are the ones whose ledger adds up to nothing left to pay.
        var db = scope.ServiceProvider.GetRequiredService<DunwellDb>();
        var balances = await db.Accounts.Select(a => new
        {
            a.Status,
            Balance = db.Ledger.Where(e => e.AccountId == a.Id).Sum(e => e.Principal + e.Interest + e.Fees),
        }).ToListAsync(Cancel);
        Assert.All(balances, a => Assert.Equal(a.Balance <= 0, a.Status == AccountStatus.Paid));
        Assert.Contains(balances, a => a.Status == AccountStatus.Paid);

        // A newcomer sees promises, plans and proposals waiting for a supervisor at once.
        var arrangements = await db.Arrangements.GroupBy(a => new { a.Kind, a.State }).Select(g => new { g.Key.Kind, g.Key.State, Count = g.Count() }).ToListAsync(Cancel);
        Assert.Contains(arrangements, a => a is { Kind: Domain.Arrangements.ArrangementKind.Promise, State: Domain.Arrangements.ArrangementState.Active });
        Assert.Contains(arrangements, a => a is { Kind: Domain.Arrangements.ArrangementKind.Plan, State: Domain.Arrangements.ArrangementState.Active });
        Assert.Equal(3, arrangements.Where(a => a.State == Domain.Arrangements.ArrangementState.PendingApproval).Sum(a => a.Count));
        Assert.Equal(3, await db.Tasks.CountAsync(t => t.Kind == WorkTaskKind.Approval, Cancel));

        // ...and fees and interest on the ledger, each entry naming the rule that charged it.
        var charged = await db.Ledger.Where(e => e.Kind == Domain.Ledger.LedgerEntryKind.Fee || e.Kind == Domain.Ledger.LedgerEntryKind.Interest)
            .Select(e => e.Reference).Distinct().ToListAsync(Cancel);
        Assert.Contains("late-fee", charged);
        Assert.Contains("eu-late-payment-2011-7", charged);

        // ...and the compliance facts: every disputed account has its dispute on record, and someone asked to be left alone.
        var disputed = await db.Accounts.CountAsync(a => a.Status == AccountStatus.Disputed, Cancel);
        Assert.Equal(disputed, await db.Disputes.Select(d => d.AccountId).Distinct().CountAsync(Cancel));
        Assert.True(await db.DebtorFlags.AnyAsync(f => f.Kind == DebtorFlagKind.CeaseCommunication, Cancel));
    }

    private static async Task<DemoSummary> SeedAsync(TestApp app)
    {
        await using var scope = app.Services.CreateSystemScope();
        return await DemoPortfolio.SeedAsync(scope.ServiceProvider, 600, Cancel);
    }

    private static Task<(int Accounts, int Debtors, int Contacts, int Charges, int Payments, int Interactions, int Users)> CountAsync(TestApp app) =>
        app.WithDbAsync(async db => (
            await db.Accounts.CountAsync(Cancel),
            await db.Debtors.CountAsync(Cancel),
            await db.DebtorContacts.CountAsync(Cancel),
            await db.Ledger.CountAsync(e => e.Kind == LedgerEntryKind.Charge, Cancel),
            await db.Ledger.CountAsync(e => e.Kind == LedgerEntryKind.Payment, Cancel),
            await db.Interactions.CountAsync(Cancel),
            await db.Users.CountAsync(Cancel)));
}
