using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Dunwell.Data;
using Dunwell.Web;

namespace Dunwell.Features.Demo;

/// <summary>
/// <c>dunwell demo</c>: brings the configured database up to date, fills it with a synthetic portfolio when it has no
/// accounts, adds one user per role, prints where to go and how to sign in, then serves the app like <c>serve</c>.
/// </summary>
internal static class DemoVerb
{
    public const string DefaultUrl = "http://localhost:5000";

    public static Command Command()
    {
        var urls = new Option<string?>("--urls") { Description = $"Addresses to listen on (default {DefaultUrl})." };
        var accounts = new Option<int>("--accounts")
        {
            Description = "How many accounts to create in an empty database.",
            DefaultValueFactory = _ => DemoPortfolio.DefaultAccounts,
        };
        var demo = new Command("demo", "Create a demo database with a realistic synthetic portfolio and one user per role, then serve it.")
        {
            urls,
            accounts,
        };
        demo.SetAction((result, ct) => RunAsync(result.GetValue(urls) ?? DefaultUrl, result.GetValue(accounts), ct));
        return demo;
    }

    private static async Task<int> RunAsync(string urls, int accounts, CancellationToken cancellationToken)
    {
        if (accounts is < 1 or > 1_000_000)
        {
            await Console.Error.WriteLineAsync("dunwell: --accounts must be between 1 and 1000000.");
            return 2;
        }

        await using var app = Cli.BuildHost($"--urls={urls}", "--Logging:LogLevel:Microsoft.EntityFrameworkCore=Warning");
        var started = Stopwatch.GetTimestamp();
        DemoSummary summary;
        await using (var scope = app.Services.CreateSystemScope())
        {
            try
            {
                await DatabaseSetup.MigrateAsync(scope.ServiceProvider.GetRequiredService<DunwellDb>(), cancellationToken);
                summary = await DemoPortfolio.SeedAsync(scope.ServiceProvider, accounts, cancellationToken);
            }
            catch (VerbException e)
            {
                await Console.Error.WriteLineAsync($"dunwell: {e.Message}");
                return e.ExitCode;
            }
        }

        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var provider = DatabaseSetup.Provider(app.Configuration);
        var lines = new List<string>
        {
            summary.Seeded
                ? string.Create(CultureInfo.InvariantCulture, $"Demo portfolio created: {summary.Accounts:N0} accounts across {summary.Creditors} creditors ({provider}, {seconds:0.0} s).")
                : string.Create(CultureInfo.InvariantCulture, $"Using the existing portfolio: {summary.Accounts:N0} accounts ({provider}); nothing was added."),
            "",
            $"Open {urls.Split(';')[0]} and sign in as one of:",
        };
        lines.AddRange(DemoPortfolio.Users.Select(u => $"  {u.Email,-24} {u.Role,-11} {(u.Creditors == CreditorScope.Everything ? "every creditor" : u.Creditors + " only")}"));
        lines.Add($"Password for all of them: {DemoPortfolio.Password}");
        lines.Add("");
        foreach (var line in lines)
        {
            await Console.Out.WriteLineAsync(line);
        }

        await app.RunAsync(cancellationToken);
        return 0;
    }
}
