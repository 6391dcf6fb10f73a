using Dunwell.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using static Dunwell.Tests.Features.Imports.ImportKit;

namespace Dunwell.Tests.Cli;

/// <summary>The verbs as a user runs them, in process, against a temp SQLite file passed as host configuration.</summary>
public sealed class ImportVerbTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("dunwell-cli-");

    private string DatabaseFile => Path.Combine(_directory.FullName, "dunwell.db");

    private string HostArg => $"--Dunwell:Database:ConnectionString=Data Source={DatabaseFile}";

    // In the test process the entry assembly is the test project; name the app so the host finds dunwell's static asset manifest.
    private const string AppName = "--applicationName=dunwell";

    private string PathOf(string name) => Path.Combine(_directory.FullName, name);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            _directory.Delete(recursive: true);
        }
        catch (IOException)
        {
            // a pooled connection still closing; the OS cleans temp
        }
    }

    [Fact]
    public async Task Import_placements_applies_a_good_file_and_exits_zero_and_a_rejected_file_exits_two_and_applies_nothing()
    {
        await File.WriteAllTextAsync(PathOf("good.csv"), Csv(PlacementHeader, Row("A-1"), Row("A-2")), TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(PathOf("bad.csv"), Csv(PlacementHeader, Row("A-3"), Row("A-4", changes: ("currency", "??"))), TestContext.Current.CancellationToken);

        var good = await Web.Cli.RunAsync(["import", "placements", PathOf("good.csv"), HostArg, AppName]);
        var bad = await Web.Cli.RunAsync(["import", "placements", PathOf("bad.csv"), HostArg, AppName]);
        var again = await Web.Cli.RunAsync(["import", "placements", PathOf("good.csv"), HostArg, AppName]);

        Assert.Equal((0, 2, 0), (good, bad, again));
        Assert.Equal(["A-1", "A-2"], await AccountsAsync());

        var skipped = await Web.Cli.RunAsync(["import", "placements", PathOf("bad.csv"), "--skip-invalid", HostArg, AppName]);
        Assert.Equal(0, skipped);
        Assert.Equal(["A-1", "A-2", "A-3"], await AccountsAsync());
    }

    [Fact]
    public async Task Import_payments_posts_once_and_a_missing_file_or_stray_argument_is_a_one_line_failure()
    {
        await File.WriteAllTextAsync(PathOf("placements.csv"), Csv(PlacementHeader, Row("A-1")), TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(PathOf("payments.csv"), Csv(PaymentHeader, "A-1,10.00,USD,2026-01-05,card,R-1"), TestContext.Current.CancellationToken);

        Assert.Equal(0, await Web.Cli.RunAsync(["import", "placements", PathOf("placements.csv"), HostArg, AppName]));
        Assert.Equal(0, await Web.Cli.RunAsync(["import", "payments", PathOf("payments.csv"), HostArg, AppName]));
        Assert.Equal(0, await Web.Cli.RunAsync(["import", "payments", PathOf("payments.csv"), HostArg, AppName]));
        Assert.Equal(1, await Web.Cli.RunAsync(["import", "payments", PathOf("missing.csv"), HostArg, AppName]));
        Assert.NotEqual(0, await Web.Cli.RunAsync(["import", "payments", PathOf("payments.csv"), "stray", HostArg, AppName]));

        await using var db = Open();
        Assert.Equal(1, await db.Ledger.CountAsync(e => e.Reference == "R-1", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Generate_writes_the_same_bytes_for_the_same_seed_and_the_file_imports_cleanly()
    {
        string[] Generate(string name, int seed) =>
            ["generate", "portfolio", "--accounts", "2000", "--out", PathOf(name), "--seed", seed.ToString(System.Globalization.CultureInfo.InvariantCulture),
             "--as-of", "2026-01-31", "--payments", PathOf($"pay-{name}")];

        Assert.Equal(0, await Web.Cli.RunAsync(Generate("a.csv", 7)));
        Assert.Equal(0, await Web.Cli.RunAsync(Generate("b.csv", 7)));
        Assert.Equal(0, await Web.Cli.RunAsync(Generate("c.csv", 8)));

        var a = await File.ReadAllBytesAsync(PathOf("a.csv"), TestContext.Current.CancellationToken);
        Assert.Equal(a, await File.ReadAllBytesAsync(PathOf("b.csv"), TestContext.Current.CancellationToken));
        Assert.NotEqual(a, await File.ReadAllBytesAsync(PathOf("c.csv"), TestContext.Current.CancellationToken));
        Assert.Equal(
            await File.ReadAllBytesAsync(PathOf("pay-a.csv"), TestContext.Current.CancellationToken),
            await File.ReadAllBytesAsync(PathOf("pay-b.csv"), TestContext.Current.CancellationToken));

        Assert.Equal(0, await Web.Cli.RunAsync(["import", "placements", PathOf("a.csv"), HostArg, AppName]));
        Assert.Equal(0, await Web.Cli.RunAsync(["import", "payments", PathOf("pay-a.csv"), HostArg, AppName]));
        await using var db = Open();
        var ct = TestContext.Current.CancellationToken;
        Assert.Equal(2000, await db.Accounts.CountAsync(ct));
        Assert.True(await db.Debtors.CountAsync(ct) < 2000); // some debtors have several accounts
        Assert.True(await db.Ledger.CountAsync(e => e.Kind == Domain.Ledger.LedgerEntryKind.Payment, ct) > 400);
        Assert.All(await db.ImportRuns.ToListAsync(ct), r => Assert.Equal(0, r.Rejected));
    }

    private async Task<List<string>> AccountsAsync()
    {
        await using var db = Open();
        return await db.Accounts.OrderBy(a => a.Reference).Select(a => a.Reference).ToListAsync(TestContext.Current.CancellationToken);
    }

    private SqliteDunwellDb Open()
    {
        var options = new DbContextOptionsBuilder<SqliteDunwellDb>();
        DatabaseSetup.ConfigureSqlite(options, $"Data Source={DatabaseFile}");
        return new SqliteDunwellDb(options.Options, CreditorScope.Unrestricted());
    }
}
