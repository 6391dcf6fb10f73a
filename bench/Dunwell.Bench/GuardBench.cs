using System.Diagnostics;
using System.Globalization;
using Dunwell.Data;
using Dunwell.Features.Generate;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Dunwell.Bench;

/// <summary>
/// What the SQLite append-only insert guard (the <c>{table}_no_replace</c> triggers, <see cref="AppendOnlyTriggers"/>)
/// costs the placement import: the same file imported into fresh databases with the guard and with it dropped (the
/// schema as it was before), alternating which goes first in each round, so a change in machine load hits both.
/// </summary>
internal static class GuardBench
{
    private const int Rounds = 3;

    public static async Task RunAsync(DirectoryInfo directory, int accounts)
    {
        var file = new FileInfo(Path.Combine(directory.FullName, "placements.csv"));
        await GenerateVerbs.WriteAsync(file, null, accounts, seed: 42, new LocalDate(2026, 1, 31), CancellationToken.None);
        file.Refresh();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"file: {accounts:N0} rows, {file.Length / 1048576.0:N1} MiB"));

        var times = new Dictionary<bool, List<double>> { [true] = [], [false] = [] };
        for (var round = 0; round < Rounds; round++)
        {
            foreach (var guarded in round % 2 == 0 ? new[] { true, false } : [false, true])
            {
                var path = Path.Combine(directory.FullName, string.Create(CultureInfo.InvariantCulture, $"round{round}-{(guarded ? "guarded" : "unguarded")}.db"));
                await using (var db = await ImportBench.FreshDatabaseAsync(path))
                {
                    if (!guarded)
                    {
                        foreach (var table in AppendOnlyTriggers.Tables)
                        {
                            var drop = $"DROP TRIGGER {table}_no_replace";
                            await db.Database.ExecuteSqlRawAsync(drop);
                        }
                    }

                    var watch = Stopwatch.StartNew();
                    var report = await ImportBench.ImportFileAsync(db, file);
                    watch.Stop();
                    times[guarded].Add(watch.Elapsed.TotalSeconds);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"round {round + 1} {(guarded ? "guarded  " : "unguarded")} {watch.Elapsed.TotalSeconds,7:N2} s  {accounts / watch.Elapsed.TotalSeconds,8:N0} rows/s  created {report.Created:N0}  load {Load()}"));
                }

                SqliteConnection.ClearAllPools();
                File.Delete(path);
            }
        }

        var guardedMedian = Median(times[true]);
        var unguardedMedian = Median(times[false]);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"median: guarded {guardedMedian:N2} s, unguarded {unguardedMedian:N2} s; guarded / unguarded time {guardedMedian / unguardedMedian:N3}x"));
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    private static string Load() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";
}
