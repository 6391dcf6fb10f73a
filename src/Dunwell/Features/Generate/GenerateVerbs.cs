using System.CommandLine;
using System.Text;
using NodaTime;
using NodaTime.Text;

namespace Dunwell.Features.Generate;

/// <summary><c>dunwell generate portfolio --accounts N --out FILE [--seed S] [--payments FILE] [--as-of YYYY-MM-DD]</c>.</summary>
internal static class GenerateVerbs
{
    public static Command Command()
    {
        var accounts = new Option<int>("--accounts") { Required = true, Description = "How many accounts (placement rows) to write." };
        var output = new Option<FileInfo>("--out") { Required = true, Description = "The placement CSV file to write." };
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => 1, Description = "Same seed and --as-of date, same file (byte for byte)." };
        var payments = new Option<FileInfo?>("--payments") { Description = "Also write a payment CSV for about 30% of the accounts." };
        var asOf = new Option<string?>("--as-of") { Description = "The date the portfolio is as of (default today, UTC); due dates fall in the two years before it." };
        var portfolio = new Command("portfolio", "Write a realistic synthetic placement file for tests and benchmarks.") { accounts, output, seed, payments, asOf };
        portfolio.SetAction(async (result, ct) =>
        {
            try
            {
                var date = result.GetValue(asOf) is { } text
                    ? LocalDatePattern.Iso.Parse(text).GetValueOrThrow()
                    : TimeProvider.System.Now().InUtc().Date;
                await WriteAsync(result.GetValue(output)!, result.GetValue(payments), result.GetValue(accounts), result.GetValue(seed), date, ct);
                await Console.Out.WriteLineAsync($"Wrote {result.GetValue(accounts)} accounts to {result.GetValue(output)!.Name}.");
                return 0;
            }
            catch (Exception e) when (e is ArgumentException or IOException or UnauthorizedAccessException or UnparsableValueException)
            {
                await Console.Error.WriteLineAsync($"dunwell: {e.Message.ReplaceLineEndings(" ")}");
                return 1;
            }
        });
        return new Command("generate", "Generate synthetic data.") { portfolio };
    }

    public static async Task WriteAsync(FileInfo placements, FileInfo? payments, int accounts, int seed, LocalDate asOf, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(accounts);
        var utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
        await using var placementWriter = new StreamWriter(placements.FullName, append: false, utf8, 1 << 20);
        await using var paymentWriter = payments is null ? null : new StreamWriter(payments.FullName, append: false, utf8, 1 << 20);

        // CPU-bound and synchronous: run it off the caller's thread so cancellation and the console stay responsive.
        await Task.Run(() => PortfolioGenerator.Write(placementWriter, paymentWriter, accounts, seed, asOf), cancellationToken);
    }
}
