using System.CommandLine;
using Microsoft.EntityFrameworkCore;
using Dunwell.Data;
using Dunwell.Features;
using Dunwell.Features.Admin;

namespace Dunwell.Web;

/// <summary>Verb dispatch. Each verb's work lives in its feature folder; this file only wires arguments to it.</summary>
public static class Cli
{
    public static async Task<int> RunAsync(string[] args)
    {
        // Host settings without a verb (--Key=value, as the test host and `dunwell --Dunwell:Database:Provider=postgres` pass them) mean serve.
        if (args.Length > 0 && args[0].StartsWith("--", StringComparison.Ordinal) && args[0].Contains('=', StringComparison.Ordinal)
            && !args[0].StartsWith("--urls", StringComparison.Ordinal))
        {
            return await ServeAsync(args, CancellationToken.None);
        }

        var root = new RootCommand("Dunwell: respectful, compliant, documented collections.");
        var urls = new Option<string?>("--urls") { Description = "Addresses to listen on, e.g. http://localhost:5000" };

        var serve = new Command("serve", "Run the web application and API (the default).") { urls };
        serve.SetAction((result, ct) => ServeAsync(WithUrls(result.GetValue(urls)), ct));
        root.Subcommands.Add(serve);
        root.Options.Add(urls);
        root.SetAction((result, ct) => ServeAsync(WithUrls(result.GetValue(urls)), ct));

        var migrate = new Command("migrate", "Bring the database schema up to date.");
        migrate.SetAction((_, ct) => RunVerbAsync(async (services, _) =>
        {
            await Console.Out.WriteLineAsync("Database is up to date.");
            return 0;
        }, ct));
        root.Subcommands.Add(migrate);

        foreach (var command in AdminVerbs.Commands())
        {
            root.Subcommands.Add(command);
        }

        foreach (var command in FeatureVerbs.Commands())
        {
            root.Subcommands.Add(command);
        }

        // Host settings (--Dunwell:Database:ConnectionString=…) may follow any verb; they configure the services, not the verb.
        var (verbArgs, settings) = SplitHostSettings(args);
        HostSettings.Value = WithContentRoot(settings);
        var parsed = root.Parse(verbArgs);
        if (parsed.Errors.Count > 0 && !IsHelpRequest(verbArgs))
        {
            await Console.Error.WriteLineAsync($"dunwell: {parsed.Errors[0].Message} (dunwell --help lists the verbs and options)");
            return 1;
        }

        return await parsed.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
    }

    private static readonly AsyncLocal<string[]> HostSettings = new();

    private static bool IsHelpRequest(string[] args) => args.Any(a => a is "--help" or "-h" or "-?" or "--version");

    internal static (string[] VerbArgs, string[] HostSettings) SplitHostSettings(string[] args)
    {
        static bool IsSetting(string arg) =>
            arg.StartsWith("--", StringComparison.Ordinal) && arg.IndexOf('=', StringComparison.Ordinal) is var eq and > 2
            && (arg[..eq].Contains(':', StringComparison.Ordinal)
                || arg[..eq] is "--applicationName" or "--environment" or "--contentRoot");
        return ([.. args.Where(a => !IsSetting(a))], [.. args.Where(IsSetting)]);
    }

    /// <summary>
    /// The app's own files (appsettings.json, wwwroot) are found beside the binary, wherever it is started from; the
    /// working directory stays the user's, for ./dunwell.db and the paths they type.
    /// </summary>
    internal static string[] WithContentRoot(string[] settings) =>
        settings.Any(s => s.StartsWith("--contentRoot=", StringComparison.OrdinalIgnoreCase))
            ? settings
            : [$"--contentRoot={AppContext.BaseDirectory}", .. settings];

    private static string[] WithUrls(string? urls) => urls is null ? [] : [$"--urls={urls}"];

    /// <summary>The host with the settings given on the command line, then <paramref name="extra"/>.</summary>
    public static WebApplication BuildHost(params string[] extra) => AppHost.Build([.. HostSettings.Value ?? [], .. extra]);

    private static async Task<int> ServeAsync(string[] hostArgs, CancellationToken cancellationToken)
    {
        await using var app = BuildHost(hostArgs);
        await app.RunAsync(cancellationToken);
        return 0;
    }

    /// <summary>
    /// Runs a batch verb on the app's services against an up-to-date database. Bad input and refusals end with
    /// a one-line reason on stderr and a non-zero exit code, never a stack trace.
    /// </summary>
    /// <summary>A batch verb's <c>--date</c>: the date given, or today in UTC; a bad date stops the verb with a clear line.</summary>
    public static NodaTime.LocalDate DateOrToday(string? given, NodaTime.Instant now)
    {
        if (given is null)
        {
            return now.InUtc().Date;
        }

        var parsed = NodaTime.Text.LocalDatePattern.Iso.Parse(given);
        return parsed.Success ? parsed.Value : throw new VerbException($"--date '{given}' is not a date like 2026-03-31.");
    }

    public static async Task<int> RunVerbAsync(Func<IServiceProvider, CancellationToken, Task<int>> verb, CancellationToken cancellationToken, string[]? hostArgs = null)
    {
        try
        {
            await using var app = BuildHost(["--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:Microsoft.EntityFrameworkCore=Warning", .. hostArgs ?? []]);
            await using var scope = app.Services.CreateSystemScope();
            await DatabaseSetup.MigrateAsync(scope.ServiceProvider.GetRequiredService<DunwellDb>(), cancellationToken);
            return await verb(scope.ServiceProvider, cancellationToken);
        }
        catch (VerbException e)
        {
            await Console.Error.WriteLineAsync($"dunwell: {e.Message}");
            return e.ExitCode;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A database that is down, locked or full, a file that cannot be read: one line, not a stack trace.
            var reason = e is DbUpdateException { InnerException: { } inner } ? inner.Message : e.Message;
            await Console.Error.WriteLineAsync($"dunwell: {reason.ReplaceLineEndings(" ")}");
            return 1;
        }
    }
}

/// <summary>A verb's refusal: printed as one line, with its exit code.</summary>
public sealed class VerbException(string message, int exitCode = 1) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
