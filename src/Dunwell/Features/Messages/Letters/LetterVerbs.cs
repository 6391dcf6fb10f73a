using System.CommandLine;
using System.Globalization;
using Dunwell.Data;
using Dunwell.Web;

namespace Dunwell.Features.Messages.Letters;

/// <summary><c>dunwell letters list | download ID FILE | posted ID</c>: the letters page, for a print room without a browser.</summary>
internal static class LetterVerbs
{
    private const string Actor = "cli";

    public static Command Command()
    {
        var list = new Command("list", "List print batches, newest first.");
        list.SetAction((_, ct) => Cli.RunVerbAsync(async (services, token) =>
        {
            foreach (var (batch, reference, _) in await LetterBatches.ListAsync(services.GetRequiredService<DunwellDb>(), token))
            {
                await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{batch.Id}\t{reference}\t{batch.PaperSize}\t{batch.LetterCount} letters\t{batch.State}"));
            }

            return 0;
        }, ct));

        var id = new Argument<long>("id") { Description = "The batch number." };
        var file = new Argument<FileInfo>("file") { Description = "Where to write the PDF." };
        var download = new Command("download", "Write a batch's PDF to a file; an open batch is closed to new letters first.") { id, file };
        download.SetAction((result, ct) => Cli.RunVerbAsync(async (services, token) =>
        {
            var batchId = result.GetValue(id);
            var pdf = await LetterBatches.DownloadAsync(services.GetRequiredService<DunwellDb>(), batchId, Actor, services.GetRequiredService<TimeProvider>().Now(), token)
                ?? throw new VerbException($"There is no print batch {batchId}.");
            var target = result.GetValue(file)!;
            await File.WriteAllBytesAsync(target.FullName, pdf.Pdf, token);
            await Console.Out.WriteLineAsync($"Wrote batch {batchId} ({pdf.Batch.LetterCount} letters) to {target.Name}.");
            return 0;
        }, ct));

        var postedId = new Argument<long>("id") { Description = "The batch number." };
        var posted = new Command("posted", "Record that a downloaded batch was posted: its letters become delivered.") { postedId };
        posted.SetAction((result, ct) => Cli.RunVerbAsync(async (services, token) =>
        {
            var batchId = result.GetValue(postedId);
            var outcome = await LetterBatches.MarkPostedAsync(services.GetRequiredService<DunwellDb>(), batchId, Actor, services.GetRequiredService<TimeProvider>().Now(), token);
            return outcome switch
            {
                LetterBatches.PostedResult.NotFound => throw new VerbException($"There is no print batch {batchId}."),
                LetterBatches.PostedResult.NotDownloaded => throw new VerbException($"Batch {batchId} is still open: download and print it first."),
                LetterBatches.PostedResult.AlreadyPosted => await SayAsync($"Batch {batchId} was already marked posted; nothing changed."),
                _ => await SayAsync($"Batch {batchId} marked posted."),
            };
        }, ct));

        return new Command("letters", "Print batches of letters: list, download, mark posted.") { list, download, posted };
    }

    private static async Task<int> SayAsync(string text)
    {
        await Console.Out.WriteLineAsync(text);
        return 0;
    }
}
