using PdfSharp.Drawing;

namespace Dunwell.Features.Messages.Letters;

/// <summary>
/// Where things go on the page, in points (1/72 in) from the top-left corner. The address sits where a left-window
/// envelope shows it once the page is folded in three:
/// <list type="bullet">
/// <item>A4 (UK and EU packs): 20 mm from the left, 50 mm from the top, 85 × 40 mm — inside the window of a DL
/// envelope (window 90 × 45 mm, 20 mm from the left and 15 mm from the bottom, so 50–95 mm from the top) and inside the
/// address field of DIN 5008 form B (20 mm from the left, 45 mm from the top, 85 × 45 mm).</item>
/// <item>US Letter (US pack): 1 in from the left, 2 1/8 in from the top, 3 1/2 × 1 in — inside the window of a #10
/// window envelope (window 4 1/2 × 1 1/8 in, 7/8 in from the left and 1/2 in from the bottom) with the page folded in three.</item>
/// </list>
/// </summary>
public sealed record LetterLayout(string PaperSize, double Width, double Height, XRect Window)
{
    public const string A4 = "A4";
    public const string Letter = "Letter";

    private const double Mm = 72 / 25.4;

    public static LetterLayout For(string paperSize) => paperSize == Letter
        ? new(Letter, 612, 792, new XRect(72, 153, 252, 72))
        : new(A4, 210 * Mm, 297 * Mm, new XRect(20 * Mm, 50 * Mm, 85 * Mm, 40 * Mm));

    /// <summary>Letter paper for the US pack, A4 everywhere else.</summary>
    public static string PaperFor(string jurisdictionPack) =>
        jurisdictionPack.StartsWith("US", StringComparison.OrdinalIgnoreCase) ? Letter : A4;

    public double Left => Window.Left;

    public double Right => Width - Window.Left;

    public double Top => 15 * Mm;

    /// <summary>Where text stops before the footer.</summary>
    public double Bottom => Height - (25 * Mm);

    public double Footer => Height - (12 * Mm);

    /// <summary>The date and reference, level with the window, in the right-hand column.</summary>
    public double InfoLeft => Width * 0.6;
}
