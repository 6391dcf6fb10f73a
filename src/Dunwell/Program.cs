namespace Dunwell;

/// <summary>
/// The one executable, <c>dunwell</c>. No verb (or <c>serve</c>) runs the web application; the other verbs run a
/// batch job on the same services and exit 0, or non-zero with a one-line reason.
/// </summary>
public sealed class Program
{
    private Program()
    {
    }

    public static Task<int> Main(string[] args) => Web.Cli.RunAsync(args);
}
