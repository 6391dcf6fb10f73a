using Dunwell.Data;
using Dunwell.Domain.Accounts;
using Dunwell.Domain.Arrangements;
using Dunwell.Domain.Ledger;
using Dunwell.Features.Arrangements;
using Dunwell.Features.CreditorPolicies;
using Dunwell.Tests.Support;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Dunwell.Tests.Features.Arrangements;

/// <summary>
/// The portfolio evaluation (<c>dunwell arrangements evaluate --date</c>) over every outcome at once, across more than
/// one batch of arrangements: what each date records, and that evaluating a date again records nothing.
/// </summary>
public sealed class EvaluateArrangementsTests
{
    private static readonly Instant Now = Instant.FromUtc(2026, 5, 20, 16, 0);

    /// <summary>Every arrangement was agreed on 2 March 2026 at 10:00 UTC.</summary>
    private static readonly Instant Agreed = Instant.FromUtc(2026, 3, 2, 10, 0);

    /// <summary>More than one batch of the evaluation (500): even ones paid, odd ones not.</summary>
    private const int Bulk = 520;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Each_date_records_every_outcome_once_and_evaluating_a_date_again_records_nothing(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        await app.WithDbAsync(SeedAsync);

        var on14th = await EvaluateAsync(app, 3, 14);
        var before = await SnapshotAsync(app);
        var again = await EvaluateAsync(app, 3, 14);
        var after = await SnapshotAsync(app);
        var on21st = await EvaluateAsync(app, 3, 21);
        var april = await EvaluateAsync(app, 4, 9);
        var may = await EvaluateAsync(app, 5, 9);

        // Kept: A, B and the even bulk promises; completed: settlement H; broken: C, D, E, I, J and the odd bulk promises.
        Assert.Equal(new EvaluationSummary(10 + Bulk, 2 + (Bulk / 2), 1, 5 + (Bulk / 2), 0, 5 + (Bulk / 2)), on14th);
        Assert.Equal(new EvaluationSummary(2, 0, 0, 0, 0, 0), again);
        Assert.Equal(before, after);
        Assert.Equal(new EvaluationSummary(2, 0, 1, 0, 0, 0), on21st);
        Assert.Equal(new EvaluationSummary(1, 0, 0, 0, 0, 1), april);
        Assert.Equal(new EvaluationSummary(1, 0, 0, 0, 1, 1), may);

        await app.WithDbAsync(async db =>
        {
            var arrangements = await db.Arrangements.AsNoTracking()
                .Join(db.Accounts, a => a.AccountId, c => c.Id, (a, c) => new { c.Reference, a.State, a.EvaluatedThrough, c.Status, c.UpdatedAt })
                .ToDictionaryAsync(x => x.Reference, Cancel);
            (ArrangementState, LocalDate?, AccountStatus) Of(string reference) =>
                (arrangements[reference].State, arrangements[reference].EvaluatedThrough, arrangements[reference].Status);
            var march14 = new LocalDate(2026, 3, 14);
            Assert.Equal((ArrangementState.Kept, march14, AccountStatus.Paid), Of("A"));
            Assert.Equal((ArrangementState.Kept, march14, AccountStatus.Active), Of("B"));
            Assert.Equal((ArrangementState.Broken, march14, AccountStatus.Active), Of("C"));
            Assert.Equal((ArrangementState.Broken, march14, AccountStatus.Active), Of("D"));
            Assert.Equal((ArrangementState.Broken, march14, AccountStatus.Active), Of("E"));
            Assert.Equal((ArrangementState.Defaulted, new LocalDate(2026, 5, 9), AccountStatus.Active), Of("F"));
            Assert.Equal((ArrangementState.Completed, new LocalDate(2026, 3, 21), AccountStatus.Paid), Of("G"));
            Assert.Equal((ArrangementState.Completed, march14, AccountStatus.Settled), Of("H"));
            Assert.Equal((ArrangementState.Broken, march14, AccountStatus.Active), Of("I"));
            Assert.Equal((ArrangementState.Broken, march14, AccountStatus.Disputed), Of("J"));
            Assert.Equal((ArrangementState.Cancelled, null, AccountStatus.InArrangement), Of("L"));
            Assert.Equal((ArrangementState.Kept, march14, AccountStatus.Paid), Of("BULK-0000"));
            Assert.Equal((ArrangementState.Broken, march14, AccountStatus.Active), Of("BULK-0519"));
            Assert.Equal(Agreed, arrangements["J"].UpdatedAt);
            Assert.Equal(Agreed, arrangements["L"].UpdatedAt);
            Assert.All(arrangements.Values.Where(a => a.Status is not (AccountStatus.Disputed or AccountStatus.InArrangement)), a => Assert.Equal(Now, a.UpdatedAt));

            // One follow-up per missed payment, to the account's agent or else whoever agreed the arrangement.
            var tasks = await db.Tasks.AsNoTracking().Join(db.Accounts, t => t.AccountId, c => c.Id, (t, c) => new { c.Reference, Task = t }).ToListAsync(Cancel);
            Assert.Equal(5 + (Bulk / 2) + 2, tasks.Count);
            Assert.Equal(tasks.Count, tasks.Select(t => t.Task.Cause).Distinct().Count());
            var c = Assert.Single(tasks, t => t.Reference == "C").Task;
            Assert.Equal((WorkTaskKind.BrokenPromise, "agent.c", "Due 2026-03-10; paid $0.00 of $300.00.", Now), (c.Kind, c.AssignedTo, c.Note, c.DueAt));
            Assert.Equal("The promise to pay was not kept: remind the customer of it, ask what changed", c.Title);
            var f = tasks.Where(t => t.Reference == "F").Select(t => t.Task).OrderBy(t => t.Cause, StringComparer.Ordinal).ToList();
            Assert.Equal(["Instalment 2 of the plan was missed: remind the customer, ask what changed", "Instalment 3 of the plan was missed: remind the customer, ask what changed"],
                f.Select(t => t.Title));
            Assert.All(f, t => Assert.Equal((WorkTaskKind.MissedInstalment, "agent.assigned"), (t.Kind, t.AssignedTo)));
            Assert.Equal("Due 2026-04-05; paid $0.00 of $100.00.", f[0].Note);
            Assert.Equal($"missed:{f[0].ArrangementId}:2", f[0].Cause);
            Assert.Equal("Due 2026-03-10; paid $120.00 of $240.00.", Assert.Single(tasks, t => t.Reference == "I").Task.Note);

            // The settlement's write-off, posted once and only on completion: 60.00, all of it principal (the payment took fees and interest first).
            var discount = Assert.Single(await db.Ledger.AsNoTracking().Where(e => e.Kind == LedgerEntryKind.SettlementDiscount).ToListAsync(Cancel));
            var h = await db.Arrangements.AsNoTracking().Where(a => a.State == ArrangementState.Completed && a.Kind == ArrangementKind.Settlement).SingleAsync(Cancel);
            Assert.Equal((h.AccountId, -6_000L, 0L, 0L, new LocalDate(2026, 3, 14), $"settlement:{h.Id}"),
                (discount.AccountId, discount.Principal, discount.Interest, discount.Fees, discount.ValueDate, discount.IdempotencyKey));
            Assert.Equal(0, await db.Ledger.Where(e => e.AccountId == h.AccountId).SumAsync(e => e.Principal + e.Interest + e.Fees, Cancel));

            // Every change of state on the timeline, with who and why.
            var notes = await db.Interactions.AsNoTracking().Join(db.Accounts, i => i.AccountId, c => c.Id, (i, c) => new { c.Reference, i.Notes, i.Author, i.Channel })
                .ToListAsync(Cancel);
            Assert.Equal(2 + (Bulk / 2) + 1 + 5 + (Bulk / 2) + 1 + 1, notes.Count);
            Assert.All(notes, n => Assert.Equal(("system:test", InteractionChannel.Note), (n.Author, n.Channel)));
            Assert.Equal("Promise to pay $300.00 by 10 March 2026: broken as of 2026-03-14.", Assert.Single(notes, n => n.Reference == "C").Notes);
            Assert.Equal("Plan of 3 monthly payments, $300.00 in all, 5 Mar 2026 to 5 May 2026: defaulted as of 2026-05-09.", Assert.Single(notes, n => n.Reference == "F").Notes);
            Assert.Equal("Settlement of $240.00 (writing off $60.00) by 10 March 2026: completed as of 2026-03-14.", Assert.Single(notes, n => n.Reference == "H").Notes);
        });
    }

    private static Task<EvaluationSummary> EvaluateAsync(TestApp app, int month, int day) =>
        app.WithDbAsync(db => EvaluateArrangements.RunAsync(db, new LocalDate(2026, month, day), null, "system:test", app.Now, Cancel));

    /// <summary>Everything an evaluation may write, as text, to compare before and after.</summary>
    private static Task<string> SnapshotAsync(TestApp app) => app.WithDbAsync(async db => string.Join("\n",
        (await db.Arrangements.AsNoTracking().OrderBy(a => a.Id).Select(a => new { a.Id, a.State, a.EvaluatedThrough }).ToListAsync(Cancel))
            .Select(a => $"arrangement {a.Id} {a.State} {a.EvaluatedThrough}")
            .Concat((await db.Accounts.AsNoTracking().OrderBy(a => a.Id).Select(a => new { a.Id, a.Status, a.UpdatedAt }).ToListAsync(Cancel))
                .Select(a => $"account {a.Id} {a.Status} {a.UpdatedAt}"))
            .Concat(await db.Tasks.AsNoTracking().OrderBy(t => t.Id).Select(t => t.Cause).ToListAsync(Cancel))
            .Append($"{await db.Interactions.CountAsync(Cancel)} notes, {await db.Ledger.CountAsync(Cancel)} ledger entries")));

    /// <summary>
    /// One account per case, each owing 300.00 USD (250.00 principal, 20.00 interest, 30.00 fees), each in arrangement
    /// since <see cref="Agreed"/> but J (disputed); L's arrangement was cancelled.
    /// </summary>
    private static async Task SeedAsync(DunwellDb db)
    {
        var creditor = new Creditor { Reference = "ACME", Name = "Acme", JurisdictionPack = "US-FDCPA", TimeZone = "America/New_York", CreatedAt = Agreed };
        var debtor = new Debtor { Creditor = creditor, Reference = "D-1", Name = "Jane Doe", SearchName = "jane doe", Country = "US", CreatedAt = Agreed, UpdatedAt = Agreed };
        db.AddRange(creditor, debtor);
        await db.SaveChangesAsync(Cancel);
        var policy = await PolicyStore.SaveAsync(db, creditor.Id,
            CreditorPolicy.Default with { Settlement = new SettlementRules(true, [new DiscountBand(0, 3_000)], [], 14) }, "admin", Agreed, Cancel);
        await db.SaveChangesAsync(Cancel);

        var accounts = new Dictionary<string, Account>(StringComparer.Ordinal);
        foreach (var reference in new[] { "A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "L" }.Concat(Enumerable.Range(0, Bulk).Select(i => $"BULK-{i:D4}")))
        {
            accounts[reference] = new Account
            {
                Reference = reference,
                CreditorId = creditor.Id,
                DebtorId = debtor.Id,
                Kind = AccountKind.Consumer,
                Currency = "USD",
                DueDate = new LocalDate(2026, 1, 15),
                Status = reference == "J" ? AccountStatus.Disputed : AccountStatus.InArrangement,
                AssignedAgent = reference == "F" ? "agent.assigned" : null,
                CreatedAt = Agreed,
                UpdatedAt = Agreed,
            };
        }

        db.Accounts.AddRange(accounts.Values);
        await db.SaveChangesAsync(Cancel);
        foreach (var account in accounts.Values)
        {
            db.Ledger.Add(Entry(account, LedgerEntryKind.Charge, new LocalDate(2026, 1, 15), 25_000, 2_000, 3_000));
        }

        // D paid before its promise was agreed: already in its balance, not towards it. Every other payment is posted after.
        db.Ledger.Add(Entry(accounts["D"], LedgerEntryKind.Payment, new LocalDate(2026, 3, 1), -10_000, 0, 0));
        await db.SaveChangesAsync(Cancel);
        var agreedAfter = await db.Ledger.MaxAsync(e => e.Id, Cancel);

        void Arrange(string reference, ArrangementKind kind, long total, params (int Month, int Day, long Amount)[] instalments) =>
            db.Arrangements.Add(new Arrangement
            {
                AccountId = accounts[reference].Id,
                PaymentsAfterEntryId = agreedAfter,
                Kind = kind,
                State = reference == "L" ? ArrangementState.Cancelled : ArrangementState.Active,
                Currency = "USD",
                TotalMinor = total,
                DiscountMinor = 30_000 - total,
                Frequency = kind == ArrangementKind.Plan ? (reference == "F" ? Frequency.Monthly : Frequency.Weekly) : null,
                BalanceMinor = 30_000,
                CreatedBy = $"agent.{reference.ToLowerInvariant()}",
                CreatedByRole = "agent",
                CreatedAt = Agreed,
                // C has none: the built-in default policy applies (3 grace days, default after 2 missed instalments), as in the saved one.
                PolicyVersionId = reference == "C" ? null : policy.Id,
                Instalments = [.. instalments.Select((i, n) => new ArrangementInstalment { Number = n + 1, DueOn = new LocalDate(2026, i.Month, i.Day), AmountMinor = i.Amount })],
            });

        void Pay(string reference, int month, int day, long amount) =>
            db.Ledger.Add(Entry(accounts[reference], LedgerEntryKind.Payment, new LocalDate(2026, month, day), -amount, 0, 0));

        Arrange("A", ArrangementKind.Promise, 30_000, (3, 10, 30_000));
        Pay("A", 3, 9, 30_000);
        Arrange("B", ArrangementKind.Promise, 15_000, (3, 10, 15_000));
        Pay("B", 3, 10, 15_000);
        Arrange("C", ArrangementKind.Promise, 30_000, (3, 10, 30_000));
        Arrange("D", ArrangementKind.Promise, 30_000, (3, 10, 30_000));
        Arrange("E", ArrangementKind.Promise, 30_000, (3, 10, 30_000));
        Arrange("F", ArrangementKind.Plan, 30_000, (3, 5, 10_000), (4, 5, 10_000), (5, 5, 10_000));
        Pay("F", 3, 5, 10_000);
        Arrange("G", ArrangementKind.Plan, 30_000, (3, 3, 10_000), (3, 10, 10_000), (3, 17, 10_000));
        Pay("G", 3, 3, 10_000);
        Pay("G", 3, 10, 10_000);
        Pay("G", 3, 17, 10_000); // already in the ledger on the 14th, but not yet made: counts from the 17th
        Arrange("H", ArrangementKind.Settlement, 24_000, (3, 10, 24_000));
        Arrange("I", ArrangementKind.Settlement, 24_000, (3, 10, 24_000));
        Pay("I", 3, 9, 12_000);
        Arrange("J", ArrangementKind.Promise, 30_000, (3, 10, 30_000));
        Arrange("L", ArrangementKind.Promise, 30_000, (3, 10, 30_000));
        for (var i = 0; i < Bulk; i++)
        {
            Arrange($"BULK-{i:D4}", ArrangementKind.Promise, 30_000, (3, 10, 30_000));
            if (i % 2 == 0)
            {
                Pay($"BULK-{i:D4}", 3, 9, 30_000);
            }
        }

        // H's payment as allocated (fees, interest, then principal); E's payment, reversed.
        db.Ledger.Add(Entry(accounts["H"], LedgerEntryKind.Payment, new LocalDate(2026, 3, 8), -19_000, -2_000, -3_000));
        var bounced = Entry(accounts["E"], LedgerEntryKind.Payment, new LocalDate(2026, 3, 9), -30_000, 0, 0);
        db.Ledger.Add(bounced);
        await db.SaveChangesAsync(Cancel);
        db.Ledger.Add(new LedgerEntry
        {
            AccountId = accounts["E"].Id,
            Kind = LedgerEntryKind.Reversal,
            Principal = 30_000,
            Currency = "USD",
            ValueDate = new LocalDate(2026, 3, 11),
            PostedAt = Agreed,
            PostedBy = "test",
            ReversesEntryId = bounced.Id,
        });
        await db.SaveChangesAsync(Cancel);
    }

    private static LedgerEntry Entry(Account account, LedgerEntryKind kind, LocalDate on, long principal, long interest, long fees) => new()
    {
        AccountId = account.Id,
        Kind = kind,
        Principal = principal,
        Interest = interest,
        Fees = fees,
        Currency = "USD",
        ValueDate = on,
        PostedAt = Agreed,
        PostedBy = "test",
    };
}
