namespace Dunwell.Features.Templates;

/// <summary>
/// The HTML part of a default email: the plain text inside a simple, accessible layout in the creditor's colour.
/// Liquid values in it are HTML-encoded when rendered; white-space keeps the text's paragraphs.
/// </summary>
internal static class EmailHtml
{
    public static string Wrap(string text) => """
        <!DOCTYPE html>
        <html lang="{{ language }}">
        <body style="margin:0;padding:0;background:#f6f6f6;">
        <div style="max-width:600px;margin:0 auto;background:#ffffff;font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5;color:#1a1a1a;">
        <div style="background:{{ creditor.accent_colour }};color:#ffffff;padding:16px 24px;font-size:18px;font-weight:bold;">{{ creditor.name }}</div>
        <div style="padding:24px;white-space:pre-line;">{{text}}</div>
        </div>
        </body>
        </html>
        """.Replace("{{text}}", text, StringComparison.Ordinal);
}
