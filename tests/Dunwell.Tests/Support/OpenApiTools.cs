using System.Diagnostics;

namespace Dunwell.Tests.Support;

/// <summary>
/// The npm tools in tools/openapi (Redocly CLI, openapi-typescript, openapi-fetch, TypeScript), installed by
/// scripts/test.sh with <c>npm ci</c>. Missing, their tests are skipped; with CI=true they fail.
/// </summary>
internal static class OpenApiTools
{
    public static string Folder { get; } = RepositoryRoot.Combine("tools", "openapi");

    public static string Bin(string tool)
    {
        var path = Path.Combine(Folder, "node_modules", ".bin", tool);
        if (!File.Exists(path))
        {
            Assert.False(TestDatabase.IsCi, $"CI=true but {tool} is not installed: run npm ci in tools/openapi (scripts/test.sh does).");
            Assert.Skip($"{tool} is not installed; run `npm ci` in tools/openapi (scripts/test.sh does).");
        }

        return path;
    }

    /// <summary>Runs a tool with node; the exit code and everything it printed.</summary>
    public static async Task<(int Code, string Output)> RunAsync(string workingDirectory, string tool, params string[] args)
    {
        var start = new ProcessStartInfo("node") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(tool);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["NO_COLOR"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return (process.ExitCode, await stdout + await stderr);
    }
}
