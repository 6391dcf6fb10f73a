using System.Diagnostics;
using System.Globalization;
using System.Text;
using Dunwell.Data;
using Dunwell.Features.Generate;
using Dunwell.Features.Imports;
using Dunwell.Features.Payments;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Dunwell.Bench;

/// <summary>
/// What the hash chains cost, on SQLite: a placement import of N rows, a payment file of N/2 rows and M single payments
/// posted one by one (PostPayment.RunAsync, the API's path: account lock, balance, ledger entry, audit event). Built from
/// this commit and from the commit before the chains, and run alternately, it gives the chains' ratio (bench/RESULTS.md).
/// Run: dotnet run -c Release --project bench/Dunwell.Bench -- chains --accounts N --payments M
/// </summary>
internal static class ChainBench
{
    public static async Task RunAsync(DirectoryInfo directory, int accounts, int payments)
    {
        var asOf = new LocalDate(2026, 1, 31);
        var file = new FileInfo(Path.Combine(directory.FullName, "placements.csv"));
        await GenerateVerbs.WriteAsync(file, null, accounts, seed: 42, asOf, CancellationToken.None);
        var clock = new FixedClock(new DateTimeOffset(2026, 2, 2, 12, 0, 0, TimeSpan.Zero));

        var options = new DbContextOptionsBuilder<SqliteDunwellDb>();
        DatabaseSetup.ConfigureSqlite(options, $"Data Source={Path.Combine(directory.FullName, "chains.db")}");
        await using var db = new SqliteDunwellDb(options.Options, CreditorScope.Unrestricted());
        await DatabaseSetup.MigrateAsync(db, CancellationToken.None);

        var cpu = Environment.CpuUsage.TotalTime;
        var import = Stopwatch.StartNew();
        await using (var stream = file.OpenRead())
        {
            await ImportPlacements.RunAsync(db, clock, stream, new ImportOptions(file.Name, "system:bench", SkipInvalid: true), CancellationToken.None);
        }

        import.Stop();
        var importCpu = Environment.CpuUsage.TotalTime - cpu;
        var references = await db.Accounts.AsNoTracking().OrderBy(a => a.Id).Select(a => new { a.Id, a.Reference, a.Currency }).ToListAsync();
        var csv = new StringBuilder("account_ref,amount,currency,paid_at,method,reference\n");
        foreach (var (account, n) in references.Where((_, i) => i % 2 == 0).Select((a, n) => (a, n)))
        {
            csv.Append(CultureInfo.InvariantCulture, $"{account.Reference},1.00,{account.Currency},2026-02-01,card,BENCH-{n}\n");
        }

        db.ChangeTracker.Clear();
        cpu = Environment.CpuUsage.TotalTime;
        var paymentFile = Stopwatch.StartNew();
        await ImportPayments.RunAsync(db, clock, new MemoryStream(Encoding.UTF8.GetBytes(csv.ToString())),
            new ImportOptions("payments.csv", "system:bench", SkipInvalid: true), CancellationToken.None);
        paymentFile.Stop();
        var paymentFileCpu = Environment.CpuUsage.TotalTime - cpu;

        cpu = Environment.CpuUsage.TotalTime;
        var posts = Stopwatch.StartNew();
        for (var i = 0; i < payments; i++)
        {
            var account = references[(i * 7919) % references.Count];
            db.ChangeTracker.Clear();
            await PostPayment.RunAsync(db, account.Id, new PaymentInput("0.01", account.Currency, new LocalDate(2026, 2, 1), "card", $"SINGLE-{i}", null),
                "user:bench", Instant.FromDateTimeOffset(clock.GetUtcNow()), $"bench:{i}", CancellationToken.None);
        }

        posts.Stop();
        var postsCpu = Environment.CpuUsage.TotalTime - cpu;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"chains-bench accounts={accounts} placement-import={import.Elapsed.TotalSeconds:F2}s payment-file({references.Count / 2 + references.Count % 2} rows)={paymentFile.Elapsed.TotalSeconds:F2}s " +
            $"single-payments({payments})={posts.Elapsed.TotalSeconds:F2}s ({posts.Elapsed.TotalMilliseconds / payments:F2} ms each); " +
            $"cpu: placement-import={importCpu.TotalSeconds:F2}s payment-file={paymentFileCpu.TotalSeconds:F2}s single-payments={postsCpu.TotalSeconds:F2}s"));
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
