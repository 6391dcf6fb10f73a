using System.Diagnostics;
using Dunwell.Data;
using Dunwell.Features.Messages.Outbox;
using Dunwell.Tests.Features.Messages;
using Dunwell.Tests.Support;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Dunwell.Tests.Cli;

/// <summary>
/// "A sender crash at any point duplicates nothing": the real <c>dunwell outbox send</c>, made to kill itself (SIGKILL)
/// right after claiming, after recording the attempt, after the SMTP server accepted the message, and after recording
/// the outcome; then run again once its lease has run out, and once more. The mailbox (smtp4dev) holds exactly one copy,
/// or none and the message is parked for a person; never two.
/// </summary>
[Trait("Category", "Crash")]
public sealed class OutboxCrashTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_sender_killed_at_any_point_and_run_again_sends_each_message_once_or_parks_it(string provider)
    {
        var mail = TestMailServer.Require();
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, OutboxKit.Morning);
        var agent = await app.ClientAsAsync("agent");
        var cases = new (string Point, OutboxState State, int Copies)[]
        {
            (OutboxCrash.Claimed, OutboxState.Sent, 1), // nothing was handed over: the rerun sends it
            (OutboxCrash.HandingOver, OutboxState.Parked, 0), // it may have gone: a person decides
            (OutboxCrash.HandedOver, OutboxState.Parked, 1), // it did go, but nothing says so: a person decides
            (OutboxCrash.Recorded, OutboxState.Sent, 1),
        };

        for (var i = 0; i < cases.Length; i++)
        {
            var (point, state, copies) = cases[i];
            var to = TestMailServer.NewAddress();
            var (_, accountId) = await OutboxKit.AccountAsync(app, agent, to, $"ACC-{i}");
            var id = await OutboxKit.QueueTextAsync(agent, accountId, "Thank you for your call today.");
            var crashed = await RunAsync(database, mail, OutboxKit.Morning, point);
            await RunAsync(database, mail, OutboxKit.Morning + Duration.FromMinutes(10), crash: null); // the lease (5 minutes) has run out
            await RunAsync(database, mail, OutboxKit.Morning + Duration.FromMinutes(20), crash: null);
            await Task.Delay(copies == 0 ? 1500 : 0, Cancel);
            var delivered = copies == 0 ? await mail.DeliveredToAsync(to, Cancel) : await mail.WaitForAsync(to, copies, cancellationToken: Cancel);
            await Task.Delay(500, Cancel);
            delivered = await mail.DeliveredToAsync(to, Cancel);
            var message = await app.WithDbAsync(db => db.Outbox.Include(m => m.DeliveryAttempts).SingleAsync(m => m.Id == id, Cancel));

            Assert.True(crashed == 137, $"{point}: the sender was to kill itself there, but exited {crashed}.");
            Assert.True((state, copies) == (message.State, delivered.Count), $"{point}: expected {state} with {copies} copies, found {message.State} with {delivered.Count}.");
            if (state == OutboxState.Parked)
            {
                Assert.Contains("may have been delivered", message.HeldReason, StringComparison.Ordinal);
                Assert.Equal("Unknown", Assert.Single(message.DeliveryAttempts).Outcome);
            }
        }
    }

    private static async Task<int> RunAsync(TestDatabase database, TestMailServer mail, Instant at, string? crash)
    {
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "dunwell.exe" : "dunwell"))
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "outbox", "send", "--at", at.ToDateTimeOffset().ToString("yyyy-MM-dd'T'HH:mm:ssK", System.Globalization.CultureInfo.InvariantCulture),
            $"--Dunwell:Database:Provider={database.Provider}", $"--Dunwell:Database:ConnectionString={database.ConnectionString}",
            $"--Dunwell:Email:Host={mail.SmtpHost}", $"--Dunwell:Email:Port={mail.SmtpPort}", "--Dunwell:Email:Tls=None",
            "--Dunwell:Email:FromAddress=noreply@dunwell.test",
        })
        {
            start.ArgumentList.Add(argument);
        }

        if (crash is not null)
        {
            start.Environment[OutboxCrash.Variable] = crash;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("dunwell did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync(Cancel);
        var stderr = process.StandardError.ReadToEndAsync(Cancel);
        await process.WaitForExitAsync(Cancel);
        Assert.True(crash is not null || process.ExitCode == 0, $"dunwell outbox send exited {process.ExitCode}: {await stdout} {await stderr}");
        return process.ExitCode;
    }
}
