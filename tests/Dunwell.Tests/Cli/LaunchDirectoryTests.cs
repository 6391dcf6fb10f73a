using System.Diagnostics;
using Dunwell.Tests.Support;
using Microsoft.Data.Sqlite;

namespace Dunwell.Tests.Cli;

/// <summary>
/// <c>dotnet run --project src/Dunwell -- VERB</c> as the README shows it, from a folder of the user's: the database and
/// every relative path the user types are in that folder, not in the project's.
/// </summary>
public sealed class LaunchDirectoryTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("dunwell-launch-");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            _directory.Delete(recursive: true);
        }
        catch (IOException)
        {
            // the OS cleans temp
        }
    }

    [Fact]
    public async Task Dotnet_run_keeps_the_database_and_the_files_the_user_names_in_the_users_folder()
    {
        var generated = await DotnetRunAsync("generate", "portfolio", "--accounts", "3", "--out", "placements.csv");
        Assert.True(generated.Code == 0, generated.Output);
        Assert.True(File.Exists(Path.Combine(_directory.FullName, "placements.csv")), "generate --out wrote somewhere else:\n" + generated.Output);

        var imported = await DotnetRunAsync("import", "placements", "placements.csv");
        Assert.True(imported.Code == 0, imported.Output);
        Assert.Contains("3 created", imported.Output, StringComparison.Ordinal);

        // The README: the demo's and every verb's SQLite file is ./dunwell.db, in the folder the command was run from.
        Assert.True(File.Exists(Path.Combine(_directory.FullName, "dunwell.db")), "the database is not in the folder the command was run from");
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(_directory.FullName, "dunwell.db")}");
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var count = connection.CreateCommand();
        count.CommandText = "SELECT count(*) FROM accounts";
        Assert.Equal(3L, await count.ExecuteScalarAsync(TestContext.Current.CancellationToken));
    }

    private async Task<(int Code, string Output)> DotnetRunAsync(params string[] verb)
    {
        // --no-build: the tests run on the build they are part of, in its configuration.
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = _directory.FullName,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in (string[])["run", "--no-build", "-c", configuration, "--project", RepositoryRoot.Combine("src", "Dunwell"), "--", .. verb])
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment.Remove("Dunwell__Database__ConnectionString");
        start.Environment.Remove("Dunwell__Database__Provider");
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return (process.ExitCode, await stdout + await stderr);
    }
}
