using System.Net;
using Dunwell.Data;
using Dunwell.Domain.Accounts;
using Dunwell.Features.Messages;
using Dunwell.Features.Messages.Letters;
using Dunwell.Tests.Features.Pages;
using Dunwell.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Content;

namespace Dunwell.Tests.Features.Messages;

/// <summary>
/// Letters into print batches, read back from the PDF a supervisor downloads (PdfPig): each letter on new pages, the
/// address where the envelope window is, page numbers, the creditor's branding; then the batch marked posted.
/// </summary>
public sealed class LetterBatchTests
{
    private static readonly Instant Now = Instant.FromUtc(2026, 3, 2, 15, 0);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private const double Inch = 72;
    private const double Mm = 72 / 25.4;

    private static LetterSender Sender(TestApp app) => app.Services.GetServices<IChannelSender>().OfType<LetterSender>().Single();

    /// <summary>A letter sent as the outbox sends it: a row, the sender's answer, the row left Sent with the batch id.</summary>
    private static async Task<(long MessageId, SendOutcome Outcome)> SendAsync(TestApp app, long accountId, long creditorId, string key, string text, string? subject = null, string language = "en-US")
    {
        var id = await MessagesSeed.OutboxAsync(app, accountId, InteractionChannel.Letter, key);
        var outcome = await Sender(app).SendAsync(MessagesSeed.Outgoing(id, accountId, creditorId, "", text, subject, language), Cancel);
        if (outcome.Result == SendResult.Accepted)
        {
            await app.WithDbAsync(db => db.Outbox.Where(m => m.Id == id)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.State, OutboxState.Sent).SetProperty(m => m.ProviderMessageId, outcome.ProviderMessageId), Cancel));
        }

        return (id, outcome);
    }

    private static string LongLetter() => string.Join("\n\n", Enumerable.Range(1, 40).Select(i =>
        $"Paragraph {i}. We are writing about your account and the options open to you, including a payment plan that fits what you can afford."));

    /// <summary>True when the whole word lies inside the rectangle given from the page's top-left corner (to a tenth of a point).</summary>
    private static bool Inside(Word word, Page page, double left, double top, double width, double height) =>
        word.BoundingBox.Left >= left - 0.1 && word.BoundingBox.Right <= left + width + 0.1
        && word.BoundingBox.Top <= page.Height - top + 0.1 && word.BoundingBox.Bottom >= page.Height - top - height - 0.1;

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_batch_downloads_as_one_pdf_with_each_letter_addressed_in_the_window_numbered_and_branded_then_is_marked_posted(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var acme = await MessagesSeed.CreditorAsync(app, "ACME", "US-FDCPA", "America/New_York");
        await MessagesSeed.CreditorAsync(app, "BETA", "UK-FCA", "Europe/London");
        var jane = await MessagesSeed.AccountAsync(app, acme, "ACC-1");
        var john = await MessagesSeed.AccountAsync(app, acme, "ACC-2", name: "John Roe");

        var (first, firstOutcome) = await SendAsync(app, jane, acme, "letter:1", LongLetter(), "About your account ACC-1");
        var (second, secondOutcome) = await SendAsync(app, john, acme, "letter:2", "Dear John Roe,\n\nThank you for your payment.\n\nYours sincerely,\nAcme Energy");
        var retried = await Sender(app).SendAsync(MessagesSeed.Outgoing(first, jane, acme, "", LongLetter()), Cancel);

        Assert.Equal(SendResult.Accepted, firstOutcome.Result);
        Assert.Equal(firstOutcome.ProviderMessageId, secondOutcome.ProviderMessageId); // one open batch per creditor
        Assert.Equal((SendResult.Accepted, firstOutcome.ProviderMessageId), (retried.Result, retried.ProviderMessageId)); // a retry is not a second letter
        var batchId = await app.WithDbAsync(db => db.LetterBatches.Select(b => b.Id).SingleAsync(Cancel));
        Assert.Equal(2, await app.WithDbAsync(db => db.BatchedLetters.CountAsync(l => l.BatchId == batchId, Cancel)));

        var supervisor = await PageSession.SignedInAsync(app, Roles.Supervisor, "ACME");
        var listing = await (await supervisor.GetAsync("/letters", Cancel)).Content.ReadAsStringAsync(Cancel);
        Assert.Contains($"/letters/{batchId}/pdf", listing, StringComparison.Ordinal);

        var download = await PageSession.SubmitAsync(supervisor, "/letters", "", [], $"/letters/{batchId}/pdf");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("application/pdf", download.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal($"letters-batch-{batchId}.pdf", download.Content.Headers.ContentDisposition?.FileName?.Trim('"'));

        using (var pdf = PdfDocument.Open(await download.Content.ReadAsByteArrayAsync(Cancel)))
        {
            var pages = pdf.GetPages().ToList();
            Assert.True(pages.Count >= 3, $"Expected the long letter to run over a page, and the second to start on its own: {pages.Count} pages.");
            var janePages = pages.Count - 1;
            var firstPage = pages[0];
            Assert.Equal((8.5 * Inch, 11 * Inch), (firstPage.Width, firstPage.Height)); // US Letter for the US pack
            var text = firstPage.Text;
            Assert.Contains("Acme Energy Customer Care", text, StringComparison.Ordinal);
            Assert.Contains("help@acme.example", text, StringComparison.Ordinal);
            Assert.Contains("Reference: ACC-1", text, StringComparison.Ordinal);
            Assert.Contains("Date: March 2, 2026", text, StringComparison.Ordinal);
            Assert.Contains("About your account ACC-1", text, StringComparison.Ordinal);
            Assert.Contains($"Page 1 of {janePages}", text, StringComparison.Ordinal);
            Assert.Contains($"Page {janePages} of {janePages}", pages[janePages - 1].Text, StringComparison.Ordinal);
            Assert.Contains("Paragraph 40.", pages[janePages - 1].Text, StringComparison.Ordinal);

            // The address, every word of it, in the #10 envelope's window: 1 in from the left, 2 1/8 in down, 3 1/2 × 1 in.
            var words = firstPage.GetWords().ToList();
            string[] address = ["Jane", "Doe", "12", "Orchard", "Street", "Apt", "4B", "New", "York,", "NY", "10002"];
            foreach (var part in address)
            {
                var word = words.First(w => w.Text == part && w.BoundingBox.Left < 4.5 * Inch && w.BoundingBox.Top > 5 * Inch);
                Assert.True(Inside(word, firstPage, 1 * Inch, 2.125 * Inch, 3.5 * Inch, 1 * Inch), $"'{part}' at {word.BoundingBox} is outside the window.");
            }

            // The second letter starts on a page of its own, numbered from 1.
            var johnPage = pages[janePages];
            Assert.Contains("John Roe", johnPage.Text, StringComparison.Ordinal);
            Assert.Contains("Page 1 of 1", johnPage.Text, StringComparison.Ordinal);
            Assert.DoesNotContain("Jane", johnPage.Text, StringComparison.Ordinal);
        }

        // Downloaded: closed to new letters, which start a new batch; the letters already in it are never batched again.
        var (_, thirdOutcome) = await SendAsync(app, john, acme, "letter:3", "A later letter.");
        Assert.NotEqual(firstOutcome.ProviderMessageId, thirdOutcome.ProviderMessageId);
        var again = await Sender(app).SendAsync(MessagesSeed.Outgoing(second, john, acme, "", "Thank you"), Cancel);
        Assert.Equal(firstOutcome.ProviderMessageId, again.ProviderMessageId);

        // Out of scope reads as missing.
        var other = await PageSession.SignedInAsync(app, Roles.Supervisor, "BETA");
        Assert.Equal(HttpStatusCode.NotFound, (await PageSession.SubmitAsync(other, "/letters", "", [], $"/letters/{batchId}/pdf")).StatusCode);
        Assert.DoesNotContain($"/letters/{batchId}/pdf", await (await other.GetAsync("/letters", Cancel)).Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);

        // Until someone says it was posted, its letters are Sent: handed over, outcome not known.
        Assert.Equal(OutboxState.Sent, await MessagesSeed.StateAsync(app, first));
        var posted = await PageSession.SubmitAsync(supervisor, "/letters", "posted", [], $"/letters/{batchId}/posted");
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        Assert.Equal(OutboxState.Delivered, await MessagesSeed.StateAsync(app, first));
        Assert.Equal(OutboxState.Delivered, await MessagesSeed.StateAsync(app, second));
        var page = await (await supervisor.GetAsync(posted.Headers.Location!.ToString(), Cancel)).Content.ReadAsStringAsync(Cancel);
        Assert.Contains($"Batch {batchId} marked posted: its 2 letters are recorded as delivered.", page, StringComparison.Ordinal);

        var again2 = await PageSession.SubmitAsync(supervisor, "/letters", "posted", [], $"/letters/{batchId}/posted");
        Assert.Contains("again=1", again2.Headers.Location!.ToString(), StringComparison.Ordinal);
        var audit = await app.WithDbAsync(db => db.AuditEvents.Where(e => e.Subject == LetterBatch.ProviderId(batchId)).Select(e => new { e.Action, e.Actor }).ToListAsync(Cancel));
        Assert.Equal(
            [(LetterBatches.DownloadAction, "user:supervisor.ACME@pages.test"), (LetterBatches.PostedAction, "user:supervisor.ACME@pages.test")],
            audit.Select(e => (e.Action, e.Actor)).Order());
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_uk_letter_is_a4_with_the_address_in_the_dl_window_and_a_debtor_without_an_address_gets_no_letter(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var beta = await MessagesSeed.CreditorAsync(app, "BETA", "UK-FCA", "Europe/London");
        var account = await MessagesSeed.AccountAsync(app, beta, "BRI-1", uk: true, name: "Alex Smith");
        var homeless = await MessagesSeed.AccountAsync(app, beta, "BRI-2", uk: true, name: "Sam Jones");
        await app.WithDbAsync(db => db.Debtors.Where(d => d.Name == "Sam Jones")
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.AddressLine1, (string?)null), Cancel));

        var (_, sent) = await SendAsync(app, account, beta, "letter:1", "Dear Alex Smith,\n\nThank you for your call today.", language: "en-GB");
        var (refusedId, refused) = await SendAsync(app, homeless, beta, "letter:2", "Dear Sam Jones");

        Assert.Equal(SendResult.Rejected, refused.Result);
        Assert.Contains("no postal address", refused.Detail, StringComparison.Ordinal);
        Assert.Equal(OutboxState.Sending, await MessagesSeed.StateAsync(app, refusedId));
        var supervisor = await PageSession.SignedInAsync(app, Roles.Supervisor, "BETA");
        var batchId = long.Parse(sent.ProviderMessageId!.Split(':')[1], System.Globalization.CultureInfo.InvariantCulture);
        var download = await PageSession.SubmitAsync(supervisor, "/letters", "", [], $"/letters/{batchId}/pdf");
        using var pdf = PdfDocument.Open(await download.Content.ReadAsByteArrayAsync(Cancel));
        var page = pdf.GetPage(1);

        Assert.Equal(1, pdf.NumberOfPages);
        Assert.Equal(210 * Mm, page.Width, 0.5);
        Assert.Equal(297 * Mm, page.Height, 0.5);
        Assert.Contains("Brightwater Housing", page.Text, StringComparison.Ordinal);
        Assert.Contains("Date: 2 March 2026", page.Text, StringComparison.Ordinal);
        Assert.Contains("Page 1 of 1", page.Text, StringComparison.Ordinal);
        // DL window: 20 mm from the left, 50 mm down, 85 × 40 mm.
        foreach (var part in new[] { "Alex", "Smith", "27", "Harbour", "Lane", "Bristol", "BS1", "5TY" })
        {
            var word = page.GetWords().First(w => w.Text == part && w.BoundingBox.Left < 105 * Mm && w.BoundingBox.Top > page.Height - (100 * Mm));
            Assert.True(Inside(word, page, 20 * Mm, 50 * Mm, 85 * Mm, 40 * Mm), $"'{part}' at {word.BoundingBox} is outside the window.");
        }
    }
}
