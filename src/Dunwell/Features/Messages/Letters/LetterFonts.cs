using PdfSharp.Fonts;

namespace Dunwell.Features.Messages.Letters;

/// <summary>
/// The letters' typeface for PDFsharp, which has no access to system fonts off Windows: Liberation Sans (SIL Open Font
/// Licence 1.1; Debian package fonts-liberation), else DejaVu Sans (Bitstream Vera licence, free; fonts-dejavu-core),
/// else Arial on Windows, found in the usual font folders. The font is embedded (subset) in each PDF.
/// </summary>
public sealed class LetterFonts : IFontResolver
{
    public const string Family = "Dunwell Letter";

    private static readonly (string Regular, string Bold)[] Candidates =
    [
        ("LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf"),
        ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
        ("arial.ttf", "arialbd.ttf"),
    ];

    private static readonly Lazy<(byte[] Regular, byte[] Bold)> Faces = new(Load);
    private static readonly Lock Installing = new();

    /// <summary>Makes this the resolver once per process (PDFsharp's setting is global).</summary>
    public static void Install()
    {
        lock (Installing)
        {
            if (GlobalFontSettings.FontResolver is not LetterFonts)
            {
                GlobalFontSettings.FontResolver = new LetterFonts();
            }
        }
    }

    public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic) =>
        new(bold ? "letter-bold" : "letter-regular", mustSimulateBold: false, mustSimulateItalic: italic);

    public byte[]? GetFont(string faceName) => faceName == "letter-bold" ? Faces.Value.Bold : Faces.Value.Regular;

    private static (byte[] Regular, byte[] Bold) Load()
    {
        string[] folders =
        [
            "/usr/share/fonts", "/usr/local/share/fonts", "/Library/Fonts", "/System/Library/Fonts",
            Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.Windows), "Fonts"),
        ];
        var existing = folders.Where(f => f.Length > 0 && Directory.Exists(f)).ToList();
        foreach (var (regular, bold) in Candidates)
        {
            if (Find(existing, regular) is { } regularPath)
            {
                return (File.ReadAllBytes(regularPath), Find(existing, bold) is { } boldPath ? File.ReadAllBytes(boldPath) : File.ReadAllBytes(regularPath));
            }
        }

        throw new InvalidOperationException(
            "No font for letters: install Liberation Sans (Debian/Ubuntu: apt-get install fonts-liberation) or DejaVu Sans (fonts-dejavu-core).");
    }

    private static string? Find(IEnumerable<string> folders, string file) =>
        folders.SelectMany(f => Directory.EnumerateFiles(f, file, new EnumerationOptions { RecurseSubdirectories = true, MatchCasing = MatchCasing.CaseInsensitive, IgnoreInaccessible = true }))
            .FirstOrDefault();
}
