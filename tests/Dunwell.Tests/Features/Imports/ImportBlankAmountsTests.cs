using Dunwell.Tests.Support;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using static Dunwell.Tests.Features.Imports.ImportKit;

namespace Dunwell.Tests.Features.Imports;

/// <summary>Invoices exported from accounting systems leave interest and fees empty: that is zero. The principal is still required.</summary>
public sealed class ImportBlankAmountsTests
{
    private static readonly Instant Now = Instant.FromUtc(2026, 3, 2, 9, 0);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Blank_or_absent_interest_and_fees_are_zero_and_a_blank_principal_is_still_refused(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var csv = Csv(
            PlacementHeader,
            Row("A-1", changes: [("principal", "120.00"), ("interest", ""), ("fees", "")]),
            Row("A-2", changes: [("principal", "80.00"), ("interest", "  "), ("fees", "5.00")]));
        var withoutColumns = Csv(
            PlacementHeader.Replace(",interest,fees", "", StringComparison.Ordinal),
            string.Join(',', Row("A-3", changes: ("principal", "30.00")).Split(',').Where((_, c) => c is not (19 or 20))));
        var blankPrincipal = Csv(PlacementHeader, Row("A-4", changes: [("principal", ""), ("interest", ""), ("fees", "")]));

        var report = await PlacementsAsync(app, csv);
        var absent = await PlacementsAsync(app, withoutColumns);
        var refused = await PlacementsAsync(app, blankPrincipal);

        Assert.True(report.Applied, string.Join("; ", report.Errors.Select(e => $"{e.Line} {e.Column}: {e.Reason}")));
        Assert.True(absent.Applied, string.Join("; ", absent.Errors.Select(e => $"{e.Line} {e.Column}: {e.Reason}")));
        var openings = await app.WithDbAsync(db => db.Ledger.Where(e => e.IdempotencyKey!.EndsWith(":opening"))
            .OrderBy(e => e.IdempotencyKey).Select(e => new { e.IdempotencyKey, e.Principal, e.Interest, e.Fees }).ToListAsync(Cancel));
        Assert.Equal(
            [("placement:A-1:opening", 12_000L, 0L, 0L), ("placement:A-2:opening", 8_000L, 0L, 500L), ("placement:A-3:opening", 3_000L, 0L, 0L)],
            openings.Select(o => (o.IdempotencyKey!, o.Principal, o.Interest, o.Fees)));

        Assert.False(refused.Applied);
        var error = Assert.Single(refused.Errors);
        Assert.Equal((2, "principal", "A value is required."), (error.Line, error.Column, error.Reason));
    }
}
