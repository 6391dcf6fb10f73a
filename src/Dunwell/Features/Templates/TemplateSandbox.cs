using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.RegularExpressions;
using Fluid;
using Fluid.Values;
using NodaTime;

namespace Dunwell.Features.Templates;

/// <summary>A template that parsed, or why it did not, in words that name the place.</summary>
public sealed record ParsedTemplate(IFluidTemplate? Template, string? Error);

/// <summary>What a render produced, or why it stopped.</summary>
public sealed record RenderOutcome(string? Output, string? Error)
{
    public bool Failed => Error is not null;
}

/// <summary>
/// Liquid with the doors shut. Templates are written by people and rendered on the server, so they may read only the
/// merge data they are given: no include, render or layout from files (the file provider refuses every path), no
/// unknown variables or filters (both stop the render instead of printing nothing), and bounded work and output, so a
/// loop or a runaway template cannot hold a sender or fill a mailbox.
/// </summary>
public static partial class TemplateSandbox
{
    /// <summary>The most characters one part (subject, text, HTML) may render to.</summary>
    public const int MaxOutputChars = 20_000;

    /// <summary>The most statements a render may run; the longest default template runs well under a thousand.</summary>
    public const int MaxSteps = 20_000;

    /// <summary>The deepest nesting of blocks and loops.</summary>
    public const int MaxRecursion = 16;

    private static readonly FluidParser Parser = new();

    private static readonly TemplateOptions Options = new TemplateOptionsBuilder()
        .WithFileProvider(new NoFiles())
        .WithMaxSteps(MaxSteps)
        .WithMaxRecursion(MaxRecursion)
        .WithMaxOutputSize(MaxOutputChars)
        .WithMaxCollectionSize(1_000)
        .WithStrictVariables(true)
        .WithStrictFilters(true)
        .WithCultureInfo(CultureInfo.InvariantCulture)
        .Build();

    public static ParsedTemplate Parse(string source)
    {
        if (FileTag().Match(source) is { Success: true } tag)
        {
            return new(null, $"'{tag.Groups[1].Value}' is not allowed: templates cannot read other files. Put the words in this template.");
        }

        return Parser.TryParse(source, out var template, out var error) ? new(template, null) : new(null, error);
    }

    /// <summary>
    /// Renders with <paramref name="model"/>'s entries as the only variables. HTML output encodes every value; text
    /// output leaves values as written (a plain-text email or an SMS is not HTML).
    /// </summary>
    public static RenderOutcome Render(IFluidTemplate template, IReadOnlyDictionary<string, object?> model, bool html, Instant now)
    {
        var context = new TemplateContext(Options) { Now = () => now.ToDateTimeOffset() };
        foreach (var (name, value) in model)
        {
            context.SetValue(name, FluidValue.Create(value, Options));
        }

        try
        {
            var output = template.Render(context, html ? HtmlEncoder.Default : NullEncoder.Default);
            return output.Length > MaxOutputChars
                ? new(null, $"The template renders to more than {MaxOutputChars:N0} characters.")
                : new(output, null);
        }
        catch (Exception e) when (e is FluidException or InvalidOperationException or ArgumentException or FileRefusedException)
        {
            return new(null, Plain(e.Message));
        }
    }

    /// <summary>Parses and renders in one go (previews, checks); a parse error is returned as the render's error.</summary>
    public static RenderOutcome Render(string source, IReadOnlyDictionary<string, object?> model, bool html, Instant now) =>
        Parse(source) is { Template: { } template } ? Render(template, model, html, now) : new(null, Parse(source).Error);

    private static string Plain(string message) =>
        message.Contains("undefined", StringComparison.OrdinalIgnoreCase) || message.Contains("not defined", StringComparison.OrdinalIgnoreCase)
            ? $"{message.TrimEnd('.')}. docs/templates.md lists the merge data a template can use."
            : message;

    [GeneratedRegex(@"\{%-?\s*(include|render|layout|section|from|import)\b", RegexOptions.IgnoreCase)]
    private static partial Regex FileTag();

    /// <summary>Refuses every file: the parse check stops the tags, and this stops anything that slips past it.</summary>
    private sealed class NoFiles : ITemplateFileProvider
    {
        public ValueTask<TemplateSourceInfo?> GetFileInfoAsync(string subpath, TemplateContext context, CancellationToken cancellationToken) =>
            throw new FileRefusedException($"Templates cannot read files ('{subpath}').");
    }

    private sealed class FileRefusedException(string message) : Exception(message);
}
