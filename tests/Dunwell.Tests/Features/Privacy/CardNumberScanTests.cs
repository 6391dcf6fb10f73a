using Dunwell.Tests.Features.Records;
using Dunwell.Tests.Support;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Dunwell.Tests.Features.Privacy;

/// <summary>The end-of-suite scan finds a card number written past the application, naming table, column and row.</summary>
public sealed class CardNumberScanTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_card_number_written_straight_into_the_database_is_found(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Instant.FromUtc(2026, 3, 2, 9, 0));
        await RecordsSeed.CreditorAsync(app);
        var id = await app.WithDbAsync(db => db.Creditors.Select(c => c.Id).SingleAsync(Cancel));

        await app.WithDbAsync(db => db.Database.ExecuteSqlAsync($"UPDATE creditors SET website = {"pay with 4111 1111 1111 1111"} WHERE id = {id}", Cancel));
        var found = await CardNumberScan.FindAsync(database.Provider, database.ConnectionString);
        await app.WithDbAsync(db => db.Database.ExecuteSqlAsync($"UPDATE creditors SET website = NULL WHERE id = {id}", Cancel));

        Assert.Equal([$"{provider} creditors.website row {id}: pay with **** **** **** 1111"], found);
        Assert.Empty(await CardNumberScan.FindAsync(database.Provider, database.ConnectionString));
    }
}
