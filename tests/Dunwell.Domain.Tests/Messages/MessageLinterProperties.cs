using Dunwell.Domain.Messages;
using FsCheck.Xunit;

namespace Dunwell.Domain.Tests.Messages;

/// <summary>Properties of the linter over texts built from the corpus: spans, removal, negation.</summary>
public sealed class MessageLinterProperties
{
    private static readonly IReadOnlyList<CorpusMessage> Corpus = CorpusMessage.Load();

    private static readonly Dictionary<string, string> Negation = new(StringComparer.Ordinal) { ["en"] = "not ", ["es"] = "no ", ["de"] = "nicht " };

    /// <summary>A corpus message with a courteous message of the same language around it, and its context.</summary>
    private static (string Text, LintContext Context) Built(int seed)
    {
        var random = new Random(seed);
        var message = Corpus[random.Next(Corpus.Count)];
        var courteous = Corpus.Where(m => m.Category == "courteous" && m.Language == message.Language).ToList();
        var before = random.Next(3) == 0 ? "" : courteous[random.Next(courteous.Count)].Text + " ";
        var after = random.Next(3) == 0 ? "" : " " + courteous[random.Next(courteous.Count)].Text;
        return (before + message.Text + after, message.Context());
    }

    [Property(MaxTest = 500)]
    public bool Every_span_lies_inside_the_text_even_when_the_text_is_cut_anywhere(int seed, byte cut)
    {
        var (text, context) = Built(seed);
        var partial = text[..(cut * text.Length / 255)];
        return MessageLinter.Check(partial, context).Findings.All(f => f.Start >= 0 && f.Length >= 0 && f.Start + f.Length <= partial.Length);
    }

    [Property(MaxTest = 500)]
    public bool Removing_the_words_a_block_points_at_stops_that_rule(int seed)
    {
        var (text, context) = Built(seed);
        var blocks = MessageLinter.Check(text, context).Findings.Where(f => f.Severity == LintSeverity.Block && f.Length > 0).ToList();
        foreach (var rule in blocks.Select(f => f.Rule).Distinct())
        {
            var without = text;
            foreach (var f in blocks.Where(f => f.Rule == rule).OrderByDescending(f => f.Start))
            {
                without = without.Remove(f.Start, f.Length);
            }

            if (MessageLinter.Check(without, context).Findings.Any(f => f.Rule == rule && f.Length > 0))
            {
                return false;
            }
        }

        return true;
    }

    [Property(MaxTest = 500)]
    public bool Putting_a_negation_before_a_blocked_phrase_never_adds_a_block(int seed)
    {
        var (text, context) = Built(seed);
        var before = MessageLinter.Check(text, context).Findings.Where(f => f.Severity == LintSeverity.Block).ToList();
        foreach (var f in before.Where(f => f.Length > 0))
        {
            var negated = text.Insert(f.Start, Negation[context.Language]);
            if (MessageLinter.Check(negated, context).Findings.Count(g => g.Severity == LintSeverity.Block) > before.Count)
            {
                return false;
            }
        }

        return true;
    }
}
