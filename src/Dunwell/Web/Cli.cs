using System.CommandLine;
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

        var parsed = root.Parse(args);
        return await parsed.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
    }

    private static string[] WithUrls(string? urls) => urls is null ? [] : [$"--urls={urls}"];

    private static async Task<int> ServeAsync(string[] hostArgs, CancellationToken cancellationToken)
    {
        await using var app = AppHost.Build(hostArgs);
        await app.RunAsync(cancellationToken);
        return 0;
    }

    /// <summary>
    /// Runs a batch verb on the app's services against an up-to-date database. Bad input and refusals end with
    /// a one-line reason on stderr and a non-zero exit code, never a stack trace.
    /// </summary>
    public static async Task<int> RunVerbAsync(Func<IServiceProvider, CancellationToken, Task<int>> verb, CancellationToken cancellationToken, string[]? hostArgs = null)
    {
        try
        {
            await using var app = AppHost.Build([.. hostArgs ?? [], "--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:Microsoft.EntityFrameworkCore=Warning"]);
            await using var scope = app.Services.CreateAsyncScope();
            await DatabaseSetup.MigrateAsync(scope.ServiceProvider.GetRequiredService<DunwellDb>(), cancellationToken);
            return await verb(scope.ServiceProvider, cancellationToken);
        }
        catch (VerbException e)
        {
            await Console.Error.WriteLineAsync($"dunwell: {e.Message}");
            return e.ExitCode;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync($"dunwell: {e.Message.ReplaceLineEndings(" ")}");
            return 1;
        }
    }
}

/// <summary>A verb's refusal: printed as one line, with its exit code.</summary>
public sealed class VerbException(string message, int exitCode = 1) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
