namespace Dunwell.Tests.Support;

/// <summary>The checkout the tests were built from: the folder above the test binaries that holds dunwell.slnx.</summary>
internal static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(folder.FullName, "dunwell.slnx")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("dunwell.slnx not found above the test binaries.");
    }

    public static string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);
}
