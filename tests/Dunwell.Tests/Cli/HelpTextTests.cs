using System.CommandLine;
using Dunwell.Features;
using Dunwell.Features.Admin;

namespace Dunwell.Tests.Cli;

/// <summary>What <c>--help</c> shows a user points to documents they have (docs/guide.md), never the internal DESIGN.</summary>
[Collection(ConsoleIsShared.Name)]
public sealed class HelpTextTests
{
    [Fact]
    public async Task Every_verbs_help_cites_only_documents_users_have()
    {
        var verbs = AdminVerbs.Commands().Concat(FeatureVerbs.Commands()).SelectMany(c => Paths(c, [])).ToList();
        Assert.Contains(["import"], verbs);

        var helps = new List<string> { (await AdminVerbTests.RunAsync("--help")).Stdout };
        foreach (var path in verbs)
        {
            helps.Add((await AdminVerbTests.RunAsync([.. path, "--help"])).Stdout);
        }

        Assert.All(helps, help =>
        {
            Assert.DoesNotContain("DESIGN", help, StringComparison.Ordinal);
            Assert.DoesNotContain("§", help, StringComparison.Ordinal);
        });
        Assert.Contains("docs/guide.md", (await AdminVerbTests.RunAsync("import", "--help")).Stdout, StringComparison.Ordinal);
    }

    private static IEnumerable<string[]> Paths(Command command, string[] parent)
    {
        string[] path = [.. parent, command.Name];
        yield return path;
        foreach (var child in command.Subcommands.SelectMany(c => Paths(c, path)))
        {
            yield return child;
        }
    }
}
