using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using Dunwell.Data;
using Dunwell.Domain.Accounts;
using Dunwell.Features.Creditors;
using Dunwell.Features.Generate;
using Dunwell.Features.Imports;
using Dunwell.Web;
using Dunwell.Web.Auth;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace Dunwell.Bench;

/// <summary>
/// Reading one account over real HTTP while a large placement import runs on SQLite: the app on a real socket, a small
/// file imported first (the account read), then the same read repeated alone (baseline) and during the big import,
/// run in the same process by the real import code (as `dunwell import placements` runs it; the API's request size
/// limit refuses a 94 MiB body). Reports p50, p99 and max of each.
/// </summary>
internal static class ReadDuringImportBench
{
    public static async Task RunAsync(DirectoryInfo directory, int accounts)
    {
        var asOf = new LocalDate(2026, 1, 31);
        var small = new FileInfo(Path.Combine(directory.FullName, "small.csv"));
        var large = new FileInfo(Path.Combine(directory.FullName, "large.csv"));
        // Same generator and seed: the small file is the large one's first 1,000 rows, so the large import finds them
        // unchanged, creates the rest and commits (a clashing file would be rolled back at its end).
        await GenerateVerbs.WriteAsync(small, null, 1_000, seed: 42, asOf, CancellationToken.None);
        await GenerateVerbs.WriteAsync(large, null, accounts, seed: 42, asOf, CancellationToken.None);
        large.Refresh();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"file: {accounts:N0} rows, {large.Length / 1048576.0:N1} MiB"));

        var database = Path.Combine(directory.FullName, "dunwell.db");
        // The app's own name, so it finds its static assets manifest (copied beside this program).
        await using var app = AppHost.Build(["--applicationName=dunwell", "--urls=http://127.0.0.1:0", $"--Dunwell:Database:ConnectionString=Data Source={database}", "--Logging:LogLevel:Default=Warning"]);
        await app.StartAsync();
        var address = app.Urls.First(); // the port the OS gave

        string key;
        await using (var scope = app.Services.CreateSystemScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<DunwellDb>();
            key = await ApiKeys.CreateAsync(db, "bench-admin", Roles.Admin, new CreditorGrant(true, []), SystemClock.Instance.GetCurrentInstant(), CancellationToken.None);
        }

        using var client = new HttpClient { BaseAddress = new Uri(address), Timeout = Timeout.InfiniteTimeSpan };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        (await ImportAsync(client, small)).EnsureSuccessStatusCode();
        long accountId;
        await using (var scope = app.Services.CreateSystemScope())
        {
            accountId = await scope.ServiceProvider.GetRequiredService<DunwellDb>().Accounts.OrderBy(a => a.Id).Select(a => a.Id).FirstAsync();
        }

        var url = $"/api/v1/accounts/{accountId}";
        var baseline = new List<double>();
        for (var i = 0; i < 300; i++)
        {
            baseline.Add(await TimedGetAsync(client, url));
        }

        Report("read alone", baseline);

        var during = new List<double>();
        var clock = Stopwatch.StartNew();
        var import = Task.Run(async () =>
        {
            await using var scope = app.Services.CreateSystemScope();
            await using var stream = large.OpenRead();
            return await ImportPlacements.RunAsync(scope.ServiceProvider.GetRequiredService<DunwellDb>(), TimeProvider.System, stream,
                new ImportOptions(large.Name, "system:bench", SkipInvalid: false), CancellationToken.None);
        });
        while (!import.IsCompleted)
        {
            during.Add(await TimedGetAsync(client, url));
        }

        var imported = await import;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"import: {(imported.Applied ? "committed" : "rolled back")}, {imported.Created:N0} created, {imported.Unchanged:N0} unchanged, {imported.Rejected:N0} rejected in {clock.Elapsed.TotalSeconds:N1} s"));
        Report("read during import", during);
        await app.StopAsync();
    }

    private static Task<HttpResponseMessage> ImportAsync(HttpClient client, FileInfo file)
    {
        var content = new StreamContent(file.OpenRead());
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        return client.PostAsync("/api/v1/imports/placements", content);
    }

    private static async Task<double> TimedGetAsync(HttpClient client, string url)
    {
        var watch = Stopwatch.StartNew();
        using var response = await client.GetAsync(url);
        await response.Content.ReadAsByteArrayAsync();
        response.EnsureSuccessStatusCode();
        return watch.Elapsed.TotalMilliseconds;
    }

    private static void Report(string what, List<double> milliseconds)
    {
        milliseconds.Sort();
        double At(double p) => milliseconds[Math.Max(0, (int)Math.Ceiling(p * milliseconds.Count) - 1)];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{what}: n={milliseconds.Count} p50={At(0.50):N1} ms p99={At(0.99):N1} ms max={milliseconds[^1]:N1} ms"));
    }
}
