using Dunwell.Features.Templates;
using NodaTime;

namespace Dunwell.Tests.Features.Templates;

/// <summary>Templates are written by people and run on the server: they read only their merge data, and cannot run away.</summary>
public sealed class TemplateSandboxTests
{
    private static readonly Instant Now = Instant.FromUtc(2026, 3, 2, 16, 0);

    private static readonly Dictionary<string, object?> Model = new(StringComparer.Ordinal)
    {
        ["debtor"] = new Dictionary<string, object?>(StringComparer.Ordinal) { ["name"] = "Tom & Jerry <Ltd>" },
        ["items"] = Enumerable.Range(1, 5).Select(i => (object?)i).ToList(),
    };

    [Theory]
    [InlineData("{% include 'secrets' %}")]
    [InlineData("{% render '/etc/passwd' %}")]
    [InlineData("{%- include \"../appsettings.json\" -%}")]
    public void A_template_that_reads_a_file_is_refused_when_parsed(string source)
    {
        var parsed = TemplateSandbox.Parse(source);

        Assert.Null(parsed.Template);
        Assert.Contains("cannot read other files", parsed.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_variable_stops_the_render_and_names_the_merge_data()
    {
        var outcome = TemplateSandbox.Render("Dear {{ debtor.nmae }}", Model, html: false, Now);

        Assert.True(outcome.Failed);
        Assert.Contains("docs/templates.md", outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_loop_that_would_run_for_ever_is_stopped()
    {
        var source = "{% for a in (1..1000) %}{% for b in (1..1000) %}{% for c in (1..1000) %}x{% endfor %}{% endfor %}{% endfor %}";

        var outcome = TemplateSandbox.Render(source, Model, html: false, Now);

        Assert.True(outcome.Failed);
    }

    [Fact]
    public void Output_beyond_the_cap_is_refused()
    {
        var source = "{% for a in (1..400) %}{% for b in (1..20) %}0123456789{% endfor %}{% endfor %}";

        var outcome = TemplateSandbox.Render(source, Model, html: false, Now);

        Assert.True(outcome.Failed);
    }

    [Fact]
    public void Html_output_encodes_values_and_text_output_does_not()
    {
        var html = TemplateSandbox.Render("<p>{{ debtor.name }}</p>", Model, html: true, Now);
        var text = TemplateSandbox.Render("{{ debtor.name }}", Model, html: false, Now);

        Assert.Equal("<p>Tom &amp; Jerry &lt;Ltd&gt;</p>", html.Output);
        Assert.Equal("Tom & Jerry <Ltd>", text.Output);
    }

    [Fact]
    public void A_small_loop_over_merge_data_renders()
    {
        var outcome = TemplateSandbox.Render("{% for i in items %}{{ i }}{% endfor %}", Model, html: false, Now);

        Assert.Equal("12345", outcome.Output);
    }
}
