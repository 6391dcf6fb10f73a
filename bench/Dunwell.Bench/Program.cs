using System.Diagnostics;
using System.Globalization;
using Dunwell.Data;
using Dunwell.Domain.Amounts;
using Dunwell.Features.Generate;
using Dunwell.Features.Imports;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using nietras.SeparatedValues;
using NodaTime;

namespace Dunwell.Bench;

/// <summary>
/// Benchmarks for bench/RESULTS.md. Run: dotnet run -c Release --project bench/Dunwell.Bench -- import --accounts 1000000
/// (or evaluate --accounts 1000000, or eligibility --accounts 1000000, or import-guard --accounts 50000).
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args is ["parse", "--accounts", var rows] && int.TryParse(rows, CultureInfo.InvariantCulture, out var parseRows))
        {
            await ParseBench.RunAsync(parseRows);
            return 0;
        }

        if (args is ["lint", "--seconds", var duration] && double.TryParse(duration, CultureInfo.InvariantCulture, out var lintSeconds))
        {
            LinterBench.Run(lintSeconds);
            return 0;
        }

        if (args is ["chains", "--accounts", var n, "--payments", var m] && int.TryParse(n, CultureInfo.InvariantCulture, out var chainAccounts)
            && int.TryParse(m, CultureInfo.InvariantCulture, out var chainPayments))
        {
            var temp = Directory.CreateTempSubdirectory("dunwell-bench-");
            try
            {
                await ChainBench.RunAsync(temp, chainAccounts, chainPayments);
            }
            finally
            {
                SqliteConnection.ClearAllPools();
                temp.Delete(recursive: true);
            }

            return 0;
        }

        if (args is not [var mode and ("import" or "evaluate" or "eligibility" or "import-guard" or "read-during-import"), "--accounts", var count, ..] || !int.TryParse(count, CultureInfo.InvariantCulture, out var accounts))
        {
            await Console.Error.WriteLineAsync("usage: import|evaluate|eligibility|import-guard|read-during-import --accounts N [--keep] | chains --accounts N --payments M | lint --seconds S");
            return 2;
        }

        var keep = args.Contains("--keep");
        var directory = Directory.CreateTempSubdirectory("dunwell-bench-");
        try
        {
            await (mode switch
            {
                "import" => ImportBench.RunAsync(directory, accounts),
                "evaluate" => EvaluateBench.RunAsync(directory, accounts),
                "import-guard" => GuardBench.RunAsync(directory, accounts),
                "read-during-import" => ReadDuringImportBench.RunAsync(directory, accounts),
                _ => EligibilityBench.RunAsync(directory, accounts),
            });
            return 0;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            if (!keep)
            {
                directory.Delete(recursive: true);
            }
            else
            {
                Console.WriteLine($"kept {directory.FullName}");
            }
        }
    }
}

/// <summary>
/// Placement import on SQLite: the real import code into a fresh database, a plain prepared-insert baseline of the same
/// rows into another fresh database with the same schema, then the same file imported again.
/// </summary>
internal static class ImportBench
{
    public static async Task RunAsync(DirectoryInfo directory, int accounts)
    {
        var file = new FileInfo(Path.Combine(directory.FullName, "placements.csv"));
        var asOf = new LocalDate(2026, 1, 31);

        var generate = await Phase.MeasureAsync("generate", () => GenerateVerbs.WriteAsync(file, null, accounts, seed: 42, asOf, CancellationToken.None));
        file.Refresh();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"file: {accounts:N0} rows, {file.Length / 1048576.0:N1} MiB"));

        await using var importDb = await FreshDatabaseAsync(Path.Combine(directory.FullName, "import.db"));
        ImportReport? first = null;
        var import = await Phase.MeasureAsync("import", async () => first = await ImportFileAsync(importDb, file));

        var baselinePath = Path.Combine(directory.FullName, "baseline.db");
        (await FreshDatabaseAsync(baselinePath)).Dispose();
        var baseline = await Phase.MeasureAsync("baseline", () => Baseline.InsertAsync(baselinePath, file));

        ImportReport? again = null;
        var reimport = await Phase.MeasureAsync("re-import", async () => again = await ImportFileAsync(importDb, file));

        Console.WriteLine();
        Console.WriteLine($"first import: created {first!.Created:N0}, rejected {first.Rejected:N0}; re-import: unchanged {again!.Unchanged:N0}, created {again.Created:N0}, updated {again.Updated:N0}");
        foreach (var phase in new[] { generate, import, baseline, reimport })
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{phase.Name,-10} {phase.Elapsed.TotalSeconds,8:N2} s  {accounts / phase.Elapsed.TotalSeconds,10:N0} rows/s  peak working set {phase.PeakWorkingSet / 1048576.0,7:N0} MiB  peak GC heap {phase.PeakManaged / 1048576.0,7:N0} MiB  allocated {phase.Allocated / 1048576.0,8:N0} MiB"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"import / baseline speed: {baseline.Elapsed / import.Elapsed:N2}x"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"re-import speed-up over first import: {import.Elapsed / reimport.Elapsed:N2}x"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"process peak working set: {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:N0} MiB"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"database sizes: import {new FileInfo(Path.Combine(directory.FullName, "import.db")).Length / 1048576.0:N0} MiB, baseline {new FileInfo(baselinePath).Length / 1048576.0:N0} MiB"));
    }

    internal static async Task<ImportReport> ImportFileAsync(SqliteDunwellDb db, FileInfo file)
    {
        await using var stream = new FileStream(file.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan | FileOptions.Asynchronous);
        return await ImportPlacements.RunAsync(db, TimeProvider.System, stream, new ImportOptions(file.Name, "system:bench", SkipInvalid: false), CancellationToken.None);
    }

    internal static async Task<SqliteDunwellDb> FreshDatabaseAsync(string path)
    {
        var options = new DbContextOptionsBuilder<SqliteDunwellDb>();
        DatabaseSetup.ConfigureSqlite(options, $"Data Source={path}");
        var db = new SqliteDunwellDb(options.Options, CreditorScope.Unrestricted());
        await DatabaseSetup.MigrateAsync(db, CancellationToken.None);
        return db;
    }
}

/// <summary>
/// The floor to compare with: the same rows into the same schema with prepared inserts in one transaction, and nothing
/// else (no checks, no lookups in the database, no phone parsing; debtors and creditors de-duplicated in memory). It binds
/// through the same <see cref="SqliteStatement"/> as the import, so the ratio compares the import's work, not two drivers.
/// </summary>
internal static class Baseline
{
    public static async Task InsertAsync(string path, FileInfo file)
    {
        await using var connection = new SqliteConnection($"Data Source={path}");
        await connection.OpenAsync();
        DatabaseSetup.ApplySqlitePragmas(connection);
        await using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA cache_size=-131072";
            await pragma.ExecuteNonQueryAsync();
        }

        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
        using var creditor = Prepare(connection, "INSERT INTO creditors (id, reference, name, jurisdiction_pack, time_zone, created_at, updated_at) VALUES (@p0, @p1, @p1, 'US-FDCPA', 'America/New_York', @p2, @p2)", 3);
        using var debtor = Prepare(connection,
            "INSERT INTO debtors (id, reference, kind, name, search_name, address_line1, address_line2, city, region, postal_code, country, time_zone, language, created_at, updated_at, creditor_id) " +
            "VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8, @p9, @p10, @p11, @p12, @p13, @p13, @p14)", 15);
        using var contact = Prepare(connection,
            "INSERT INTO debtor_contacts (id, debtor_id, kind, value, label, time_zone, consent, created_at, workplace, employer_prohibits, inconvenient_place) " +
            "VALUES (@p0, @p1, @p2, @p3, @p4, NULL, 'Unknown', @p5, FALSE, FALSE, FALSE)", 6);
        using var account = Prepare(connection,
            "INSERT INTO accounts (id, reference, creditor_id, debtor_id, kind, currency, due_date, itemization_date, original_creditor, last_payment_date, status, created_at, updated_at) " +
            "VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8, @p9, 'Active', @p10, @p10)", 11);
        using var entry = Prepare(connection,
            "INSERT INTO ledger_entries (id, account_id, kind, principal, interest, fees, currency, value_date, posted_at, posted_by, idempotency_key) " +
            "VALUES (@p0, @p1, 'Charge', @p2, @p3, @p4, @p5, @p6, @p7, 'bench', @p8)", 9);

        var now = DateTime.UtcNow;
        var creditors = new Dictionary<string, long>(StringComparer.Ordinal);
        var debtors = new Dictionary<string, long>(StringComparer.Ordinal);
        long accountId = 0, contactId = 0;
        using var reader = Sep.Reader(o => o with { Unescape = true }).FromFile(file.FullName);
        int Col(string name) => reader.Header.IndexOf(name);
        int cCreditor = Col("creditor_ref"), cAccount = Col("account_ref"), cDebtor = Col("debtor_ref"), cKind = Col("debtor_kind"), cName = Col("name"),
            cEmail = Col("email"), cPhone = Col("phone"), cPhone2 = Col("phone2"), cA1 = Col("address_line1"), cA2 = Col("address_line2"), cCity = Col("city"),
            cRegion = Col("region"), cPostal = Col("postal_code"), cCountry = Col("country"), cZone = Col("time_zone"), cLanguage = Col("language"),
            cAccountKind = Col("account_kind"), cCurrency = Col("currency"), cPrincipal = Col("principal"), cInterest = Col("interest"), cFees = Col("fees"),
            cDue = Col("due_date"), cItemization = Col("itemization_date"), cOriginal = Col("original_creditor"), cLast = Col("last_payment_date");

        foreach (var row in reader)
        {
            var creditorRef = row[cCreditor].ToString();
            if (!creditors.TryGetValue(creditorRef, out var creditorId))
            {
                creditorId = creditors[creditorRef] = creditors.Count + 1;
                Run(creditor, creditorId, creditorRef, now);
            }

            var debtorRef = row[cDebtor].ToString();
            if (!debtors.TryGetValue(debtorRef, out var debtorId))
            {
                debtorId = debtors[debtorRef] = debtors.Count + 1;
                var name = row[cName].ToString();
                Run(debtor, debtorId, debtorRef, row[cKind].ToString() == "company" ? "Company" : "Person", name, name.ToLowerInvariant(),
                    Text(row[cA1].Span), Text(row[cA2].Span), Text(row[cCity].Span), Text(row[cRegion].Span), Text(row[cPostal].Span), row[cCountry].ToString(),
                    Text(row[cZone].Span), Text(row[cLanguage].Span), now, creditorId);
                if (Text(row[cEmail].Span) is { } email)
                {
                    Run(contact, ++contactId, debtorId, "Email", email, "primary", now);
                }

                if (Text(row[cPhone].Span) is { } phone)
                {
                    Run(contact, ++contactId, debtorId, "Phone", phone, "primary", now);
                }

                if (Text(row[cPhone2].Span) is { } phone2)
                {
                    Run(contact, ++contactId, debtorId, "Phone", phone2, "secondary", now);
                }
            }

            var currency = row[cCurrency].ToString();
            var exponent = Currency.Of(currency).Exponent;
            var due = row[cDue].ToString();
            var itemization = Text(row[cItemization].Span);
            Run(account, ++accountId, row[cAccount].ToString(), creditorId, debtorId, row[cAccountKind].ToString() == "commercial" ? "Commercial" : "Consumer",
                currency, due, itemization, Text(row[cOriginal].Span), Text(row[cLast].Span), now);
            Run(entry, accountId, accountId, Minor(row[cPrincipal].Span, exponent), Minor(row[cInterest].Span, exponent), Minor(row[cFees].Span, exponent),
                currency, itemization ?? due, now, "placement:" + row[cAccount].ToString() + ":opening");
        }

        await transaction.CommitAsync();
    }

    // The import's own statement wrapper (prepared once, bound by position), so the baseline writes no slower than the import does.
    private static SqliteStatement Prepare(SqliteConnection connection, string sql, int parameters) => new(connection, sql, parameters);

    private static void Run(SqliteStatement statement, params object?[] values) => statement.Execute(values);

    private static string? Text(ReadOnlySpan<char> span) => span.IsEmpty ? null : span.ToString();

    private static long Minor(ReadOnlySpan<char> text, int exponent) => MoneyText.TryParse(text, exponent, out var minor, out _) ? minor : 0;
}

/// <summary>
/// Wall time, working set at the start and its peak, peak managed heap (sampled every 50 ms), bytes allocated, and the
/// lowest and highest 1-minute load average seen during one phase (read from /proc/loadavg about once a second).
/// </summary>
internal sealed record Phase(string Name, TimeSpan Elapsed, long StartWorkingSet, long PeakWorkingSet, long PeakManaged, long Allocated, double LoadMin, double LoadMax)
{
    public static async Task<Phase> MeasureAsync(string name, Func<Task> work)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        long startWorkingSet, peakWorkingSet = 0, peakManaged = 0;
        using (var process = Process.GetCurrentProcess())
        {
            startWorkingSet = process.WorkingSet64;
        }

        double loadMin = double.MaxValue, loadMax = 0;
        using var stop = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            using var process = Process.GetCurrentProcess();
            for (var tick = 0; !stop.IsCancellationRequested; tick++)
            {
                process.Refresh();
                peakWorkingSet = Math.Max(peakWorkingSet, process.WorkingSet64);
                peakManaged = Math.Max(peakManaged, GC.GetTotalMemory(forceFullCollection: false));
                if (tick % 20 == 0 && LoadAverage() is { } load)
                {
                    (loadMin, loadMax) = (Math.Min(loadMin, load), Math.Max(loadMax, load));
                }

                try
                {
                    await Task.Delay(50, stop.Token);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        });

        Console.Error.WriteLine($"{name}…");
        var watch = Stopwatch.StartNew();
        await work();
        watch.Stop();
        await stop.CancelAsync();
        await sampler;
        return new Phase(name, watch.Elapsed, startWorkingSet, peakWorkingSet, peakManaged, GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore,
            loadMin == double.MaxValue ? 0 : loadMin, loadMax);
    }

    /// <summary>The 1-minute load average (Linux), or null where there is none to read.</summary>
    private static double? LoadAverage()
    {
        try
        {
            var text = File.ReadAllText("/proc/loadavg");
            return double.Parse(text.AsSpan(0, text.IndexOf(' ', StringComparison.Ordinal)), CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}

/// <summary>Where the time goes before the database: reading with Sep, then the row checks with and without phone numbers.</summary>
internal static class ParseBench
{
    public static async Task RunAsync(int accounts)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        PortfolioGenerator.Write(text, null, accounts, 42, new LocalDate(2026, 1, 31));
        var csv = text.ToString();
        // Twice: the first round includes JIT and libphonenumber's lazy metadata and regex set-up.
        // "+ card screen": the import's card-number masking of every value (Features/Imports/CardNumberScreen.cs).
        var phases = new[]
        {
            ("read only", (bool?)null, false), ("read + card screen", null, true),
            ("checks, no phones", false, false), ("checks with phones", true, false), ("checks + card screen", true, true),
        };
        foreach (var (name, keepPhones, screen) in phases.Concat(phases))
        {
            var phase = await Phase.MeasureAsync(name, () =>
            {
                using var reader = Sep.Reader(o => o with { Unescape = true }).FromText(csv);
                var order = PlacementCsv.Header.Select(h => reader.Header.IndexOf(h)).ToArray();
                var values = new string?[order.Length];
                foreach (var row in reader)
                {
                    for (var c = 0; c < order.Length; c++)
                    {
                        values[c] = order[c] >= 0 && row[order[c]].Span.Trim() is { IsEmpty: false } v ? v.ToString() : null;
                    }

                    if (screen)
                    {
                        CardNumberScreen.Apply(row.LineNumberFrom, values, PlacementCsv.Columns);
                    }

                    if (keepPhones is { } phones)
                    {
                        if (!phones)
                        {
                            values[6] = values[7] = null;
                        }

                        PlacementCsv.Parse(row.LineNumberFrom, values);
                    }
                }

                return Task.CompletedTask;
            });
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-20} {phase.Elapsed.TotalSeconds,6:N2} s {accounts / phase.Elapsed.TotalSeconds,10:N0} rows/s"));
        }
    }
}
