using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Dunwell.Domain.Accounts;
using Dunwell.Domain.Compliance;
using Dunwell.Domain.Messages;

namespace Dunwell.Bench;

/// <summary>
/// The message linter's throughput on the labelled corpus (tests/Dunwell.Domain.Tests/Messages/linter-corpus.jsonl),
/// each message in its own context, against a raw baseline in the same run: a case-insensitive IndexOf scan of the same
/// texts for a list of alarming words, the least any keyword filter could do.
/// </summary>
internal static class LinterBench
{
    private static readonly string[] Keywords =
    [
        "arrest", "jail", "police", "seize", "garnish", "employer", "liar", "deadbeat", "shame", "last chance", "legal action",
        "court", "sue", "credit bureau", "collection agency", "suspend", "repossess", "cárcel", "demand", "embarg", "Inkasso",
        "SCHUFA", "Gericht", "pfänd", "urgent", "dringend", "arrears", "remittance", "!!",
    ];

    public static void Run(double seconds)
    {
        var corpus = Load();
        var chars = corpus.Sum(m => (long)m.Text.Length);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"corpus: {corpus.Count} messages, {chars:N0} characters"));

        var findings = 0L;
        Measure("warm-up", 1, corpus, m => findings += MessageLinter.Check(m.Text, m.Context).Findings.Count);
        var linter = Measure("linter", seconds, corpus, m => findings += MessageLinter.Check(m.Text, m.Context).Findings.Count);
        var hits = 0L;
        Measure("warm-up", 1, corpus, m => hits += Scan(m.Text));
        var baseline = Measure("baseline", seconds, corpus, m => hits += Scan(m.Text));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"linter / baseline speed: {linter / baseline:N4}x ({findings:N0} findings, {hits:N0} keyword hits)"));
    }

    private static int Scan(string text)
    {
        var hits = 0;
        foreach (var keyword in Keywords)
        {
            hits += text.Contains(keyword, StringComparison.OrdinalIgnoreCase) ? 1 : 0;
        }

        return hits;
    }

    /// <summary>Runs the corpus over and over for the given time; returns messages per second.</summary>
    private static double Measure(string name, double seconds, List<(string Text, LintContext Context)> corpus, Action<(string Text, LintContext Context)> work)
    {
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        var messages = 0L;
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            foreach (var message in corpus)
            {
                work(message);
            }

            messages += corpus.Count;
        }

        var rate = messages / clock.Elapsed.TotalSeconds;
        var allocated = (GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore) / (double)messages;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name,-9} {messages,10:N0} messages in {clock.Elapsed.TotalSeconds:N2} s  {rate,12:N0} messages/s  {allocated,10:N0} bytes allocated per message"));
        return rate;
    }

    private static List<(string Text, LintContext Context)> Load()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "dunwell.slnx")))
        {
            directory = directory.Parent;
        }

        var path = Path.Combine(directory?.FullName ?? ".", "tests", "Dunwell.Domain.Tests", "Messages", "linter-corpus.jsonl");
        var list = new List<(string, LintContext)>();
        foreach (var line in File.ReadLines(path).Where(l => l.Length > 0))
        {
            using var json = JsonDocument.Parse(line);
            var r = json.RootElement;
            var required = r.TryGetProperty("requires", out var req) ? req.EnumerateArray().Select(e => Enum.Parse<Requirement>(e.GetString()!, true)).ToHashSet() : [];
            var context = new LintContext(
                Enum.Parse<LintChannel>(r.GetProperty("channel").GetString()!, true), r.GetProperty("language").GetString()!,
                Enum.Parse<AccountKind>(r.GetProperty("accountKind").GetString()!, true),
                r.GetProperty("enabled").EnumerateArray().Select(e => Enum.Parse<Consequence>(e.GetString()!, true)).ToHashSet(),
                r.GetProperty("timeBarred").GetBoolean(), r.GetProperty("pack").GetString()!)
            {
                Purpose = r.TryGetProperty("purpose", out var p) ? Enum.Parse<ContactPurpose>(p.GetString()!, true) : ContactPurpose.Collection,
                InValidationPeriod = r.TryGetProperty("inValidationPeriod", out var v) && v.GetBoolean(),
                Required = required,
            };
            list.Add((r.GetProperty("text").GetString()!, context));
        }

        return list;
    }
}
