using System.Globalization;
using Dunwell.Data;
using NodaTime;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace Dunwell.Features.Messages.Letters;

/// <summary>
/// A print batch as one PDF: each letter starts on a new page, with the creditor's name in its accent colour and its
/// contact details at the top, the recipient's address in the envelope window (<see cref="LetterLayout"/>), the date and
/// reference beside it, the text below, and "Page n of m" (counted per letter) at the foot of every page.
/// </summary>
public static class LetterPdf
{
    private const double BodySize = 10.5;
    private const double Leading = BodySize * 1.4;

    public static byte[] Render(LetterBatch batch, Creditor creditor, IReadOnlyList<BatchedLetter> letters)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(creditor);
        ArgumentNullException.ThrowIfNull(letters);
        LetterFonts.Install();
        var layout = LetterLayout.For(batch.PaperSize);
        using var document = new PdfDocument();
        document.Info.Title = $"Letters, print batch {batch.Id}";
        document.Info.Author = Brand(creditor);
        foreach (var letter in letters)
        {
            Write(document, layout, creditor, letter);
        }

        using var stream = new MemoryStream();
        document.Save(stream, closeStream: false);
        return stream.ToArray();
    }

    private static string Brand(Creditor creditor) => string.IsNullOrWhiteSpace(creditor.DisplayName) ? creditor.Name : creditor.DisplayName.Trim();

    private static void Write(PdfDocument document, LetterLayout layout, Creditor creditor, BatchedLetter letter)
    {
        var words = Words.For(letter.Language);
        var accent = Accent(creditor.AccentColour);
        var regular = new XFont(LetterFonts.Family, BodySize);
        var bold = new XFont(LetterFonts.Family, BodySize, XFontStyleEx.Bold);
        var small = new XFont(LetterFonts.Family, 8);
        var pages = new List<PdfPage>();

        XGraphics NewPage()
        {
            var page = document.AddPage();
            page.Width = XUnit.FromPoint(layout.Width);
            page.Height = XUnit.FromPoint(layout.Height);
            pages.Add(page);
            return XGraphics.FromPdfPage(page);
        }

        var g = NewPage();
        // Letterhead: the creditor's name in its colour, its contact details on the right.
        g.DrawString(Brand(creditor), new XFont(LetterFonts.Family, 16, XFontStyleEx.Bold), new XSolidBrush(accent), layout.Left, layout.Top + 14);
        var contact = ContactLines(creditor);
        for (var i = 0; i < contact.Count; i++)
        {
            g.DrawString(contact[i], small, XBrushes.DimGray, new XRect(layout.InfoLeft, layout.Top + (i * 10), layout.Right - layout.InfoLeft, 10), XStringFormats.TopRight);
        }

        g.DrawLine(new XPen(accent, 1.5), layout.Left, layout.Top + 22, layout.Right, layout.Top + 22);

        // The address, in the window.
        var y = layout.Window.Top + BodySize;
        foreach (var line in letter.Address.Split('\n'))
        {
            g.DrawString(line, regular, XBrushes.Black, layout.Window.Left, y);
            y += BodySize * 1.25;
        }

        var date = Date(letter.AddedAt, creditor, letter.Language);
        g.DrawString($"{words.Date}: {date}", regular, XBrushes.Black, layout.InfoLeft, layout.Window.Top + BodySize);
        g.DrawString($"{words.Reference}: {letter.AccountReference}", regular, XBrushes.Black, layout.InfoLeft, layout.Window.Top + BodySize + Leading);

        y = layout.Window.Bottom + 28;
        if (!string.IsNullOrWhiteSpace(letter.Subject))
        {
            foreach (var line in Wrap(g, letter.Subject.Trim(), bold, layout.Right - layout.Left))
            {
                g.DrawString(line, bold, XBrushes.Black, layout.Left, y);
                y += Leading;
            }

            y += Leading / 2;
        }

        foreach (var paragraph in letter.Text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            foreach (var line in Wrap(g, paragraph, regular, layout.Right - layout.Left))
            {
                if (y > layout.Bottom)
                {
                    g.Dispose();
                    g = NewPage();
                    g.DrawString($"{Brand(creditor)} · {words.Reference}: {letter.AccountReference}", small, XBrushes.DimGray, layout.Left, layout.Top + 8);
                    y = layout.Top + 36;
                }

                g.DrawString(line, regular, XBrushes.Black, layout.Left, y);
                y += Leading;
            }
        }

        g.Dispose();
        for (var i = 0; i < pages.Count; i++)
        {
            using var footer = XGraphics.FromPdfPage(pages[i], XGraphicsPdfPageOptions.Append);
            footer.DrawString(words.Page(i + 1, pages.Count), small, XBrushes.DimGray, new XRect(0, layout.Footer - 8, layout.Width, 10), XStringFormats.TopCenter);
        }
    }

    private static List<string> ContactLines(Creditor creditor)
    {
        var lines = new List<string>();
        if (!string.IsNullOrWhiteSpace(creditor.PostalAddress))
        {
            lines.AddRange(creditor.PostalAddress.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        }

        lines.AddRange(new[] { creditor.ContactPhone, creditor.ContactEmail, creditor.Website }.Where(l => !string.IsNullOrWhiteSpace(l)).Select(l => l!.Trim()));
        return lines;
    }

    /// <summary>Words that fit the width, breaking a word longer than the line (a URL) where it must.</summary>
    private static IEnumerable<string> Wrap(XGraphics g, string paragraph, XFont font, double width)
    {
        if (paragraph.Trim().Length == 0)
        {
            yield return "";
            yield break;
        }

        var line = "";
        foreach (var word in paragraph.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = line.Length == 0 ? word : $"{line} {word}";
            if (g.MeasureString(candidate, font).Width <= width)
            {
                line = candidate;
                continue;
            }

            if (line.Length > 0)
            {
                yield return line;
            }

            line = word;
            while (g.MeasureString(line, font).Width > width && line.Length > 1)
            {
                var fits = line.Length - 1;
                while (fits > 1 && g.MeasureString(line[..fits], font).Width > width)
                {
                    fits--;
                }

                yield return line[..fits];
                line = line[fits..];
            }
        }

        if (line.Length > 0)
        {
            yield return line;
        }
    }

    private static XColor Accent(string? colour) =>
        colour is { Length: 7 } && colour[0] == '#' && int.TryParse(colour.AsSpan(1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var rgb)
            ? XColor.FromArgb((rgb >> 16) & 0xff, (rgb >> 8) & 0xff, rgb & 0xff)
            : XColor.FromArgb(0x1f, 0x3a, 0x5f);

    /// <summary>The day it was batched, in the creditor's calendar, written the way the letter's readers write dates.</summary>
    private static string Date(Instant at, Creditor creditor, string language)
    {
        var zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(creditor.TimeZone) ?? DateTimeZone.Utc;
        var day = at.InZone(zone).Date.ToDateOnly();
        var culture = Culture(language);
        return culture.Name == "en-US" || (culture.TwoLetterISOLanguageName == "en" && LetterLayout.PaperFor(creditor.JurisdictionPack) == LetterLayout.Letter)
            ? day.ToString("MMMM d, yyyy", culture)
            : day.ToString(culture.TwoLetterISOLanguageName == "es" ? "d 'de' MMMM 'de' yyyy" : "d MMMM yyyy", culture);
    }

    private static CultureInfo Culture(string language)
    {
        try
        {
            return CultureInfo.GetCultureInfo(string.IsNullOrWhiteSpace(language) ? "en-GB" : language);
        }
        catch (CultureNotFoundException)
        {
            return CultureInfo.GetCultureInfo("en-GB");
        }
    }

    private sealed record Words(string Date, string Reference, Func<int, int, string> Page)
    {
        public static Words For(string language) => language.StartsWith("es", StringComparison.OrdinalIgnoreCase)
            ? new("Fecha", "Referencia", (n, m) => $"Página {n} de {m}")
            : language.StartsWith("de", StringComparison.OrdinalIgnoreCase)
                ? new("Datum", "Referenz", (n, m) => $"Seite {n} von {m}")
                : language.StartsWith("fr", StringComparison.OrdinalIgnoreCase)
                    ? new("Date", "Référence", (n, m) => $"Page {n} sur {m}")
                    : new("Date", "Reference", (n, m) => $"Page {n} of {m}");
    }
}
