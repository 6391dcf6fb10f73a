using Microsoft.Data.Sqlite;

namespace Dunwell.Tests.Cli;

/// <summary><c>dunwell letters</c>: listing batches, and a batch that does not exist refused in one line.</summary>
[Collection(ConsoleIsShared.Name)]
public sealed class LetterVerbTests : IDisposable
{
    private const string AppName = "--applicationName=dunwell";

    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("dunwell-cli-");

    private string HostArg => $"--Dunwell:Database:ConnectionString=Data Source={Path.Combine(_directory.FullName, "dunwell.db")}";

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
    public async Task The_letter_verbs_list_batches_and_refuse_a_batch_that_does_not_exist()
    {
        var listed = await AdminVerbTests.RunAsync("letters", "list", HostArg, AppName);
        var download = await AdminVerbTests.RunAsync("letters", "download", "7", Path.Combine(_directory.FullName, "batch.pdf"), HostArg, AppName);
        var posted = await AdminVerbTests.RunAsync("letters", "posted", "7", HostArg, AppName);

        Assert.Equal((0, ""), (listed.Code, listed.Stdout.Trim()));
        Assert.Equal((1, "dunwell: There is no print batch 7."), (download.Code, download.Stderr.Trim()));
        Assert.False(File.Exists(Path.Combine(_directory.FullName, "batch.pdf")));
        Assert.Equal((1, "dunwell: There is no print batch 7."), (posted.Code, posted.Stderr.Trim()));
    }
}
