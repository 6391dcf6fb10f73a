using Dunwell.Domain.Messages;

namespace Dunwell.Domain.Tests.Messages;

/// <summary>
/// The linter's quality, measured on a labelled corpus (Messages/linter-corpus.jsonl: consumer and commercial, English,
/// Spanish and German, courteous, borderline and harmful). docs/linter.md reports the numbers this prints.
/// </summary>
public sealed class LinterQualityTests
{
    private static readonly IReadOnlyList<CorpusMessage> Corpus = CorpusMessage.Load();

    [Fact]
    public void The_corpus_is_big_and_varied_enough_to_measure()
    {
        Assert.True(Corpus.Count >= 200, $"{Corpus.Count} messages");
        Assert.Equal(Corpus.Count, Corpus.Select(m => m.Id).Distinct().Count());
        foreach (var group in new[] { "courteous", "borderline", "harmful" })
        {
            Assert.Contains(Corpus, m => m.Category == group && m.AccountKind == "consumer");
            Assert.Contains(Corpus, m => m.Category == group && m.AccountKind == "commercial");
            Assert.Contains(Corpus, m => m.Category == group && m.Language != "en");
        }
    }

    [Fact]
    public void Courteous_text_never_blocks()
    {
        var blocked = Corpus.Where(m => m.Category == "courteous")
            .Select(m => (m.Id, Blocks: MessageLinter.Check(m.Text, m.Context()).Findings.Where(f => f.Severity == LintSeverity.Block).Select(f => f.Rule).ToList()))
            .Where(m => m.Blocks.Count > 0)
            .Select(m => $"{m.Id}: {string.Join(", ", m.Blocks)}");

        Assert.Empty(blocked);
    }

    [Fact]
    public void Precision_and_recall_meet_their_thresholds_per_severity()
    {
        var scores = CorpusScore.Of(Corpus, m => MessageLinter.Check(m.Text, m.Context()));
        TestContext.Current.SendDiagnosticMessage("| severity | expected | found | correct | precision | recall |\n" + string.Join("\n", scores));
        var block = scores.Single(s => s.Severity == LintSeverity.Block);
        var warn = scores.Single(s => s.Severity == LintSeverity.Warn);
        var report = string.Join("\n", scores) + "\n" + string.Join("\n", Misses(Corpus));
        Assert.True(block.Precision >= 0.95 && block.Recall >= 0.95, report);
        Assert.True(warn.Precision >= 0.85 && warn.Recall >= 0.85, report);
    }

    /// <summary>
    /// 43 messages written after the rules were tuned on the corpus and never used to change them: the honest estimate
    /// on phrasing nobody tuned for. Courteous ones must never block; recall is what it measured (docs/linter.md), a floor
    /// to raise as the tables grow, not a target met.
    /// </summary>
    [Fact]
    public void On_held_out_messages_written_after_the_rules_courteous_text_never_blocks_and_blocks_are_right()
    {
        var heldOut = CorpusMessage.Load(Path.Combine(AppContext.BaseDirectory, "Messages", "linter-heldout.jsonl"));
        var scores = CorpusScore.Of(heldOut, m => MessageLinter.Check(m.Text, m.Context()));
        var report = string.Join("\n", scores) + "\n" + string.Join("\n", Misses(heldOut));

        TestContext.Current.SendDiagnosticMessage(report);

        var block = scores.Single(s => s.Severity == LintSeverity.Block);
        Assert.DoesNotContain(heldOut, m => m.Expect.Length == 0 && MessageLinter.Check(m.Text, m.Context()).Blocks);
        Assert.True(block.Precision >= 0.95 && block.Recall >= 0.40, report);
    }

    /// <summary>Every disagreement with the labels, for reading when a threshold fails.</summary>
    private static IEnumerable<string> Misses(IReadOnlyList<CorpusMessage> corpus)
    {
        foreach (var m in corpus)
        {
            var found = MessageLinter.Check(m.Text, m.Context()).Findings.Where(f => f.Severity != LintSeverity.Info).Select(f => f.Rule).ToHashSet();
            var expected = m.Expect.ToHashSet();
            if (!found.SetEquals(expected))
            {
                yield return $"{m.Id}: expected [{string.Join(", ", expected)}] found [{string.Join(", ", found)}] — {m.Text}";
            }
        }
    }
}
