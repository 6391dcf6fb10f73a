using System.CommandLine;
using Dunwell.Data;
using Dunwell.Web;

namespace Dunwell.Features.Inbound;

/// <summary>Inside <c>serve</c>, when a mailbox is configured: polls it every <see cref="ImapOptions.PollSeconds"/>.</summary>
internal sealed class InboundPoller(IServiceProvider services, IConfiguration configuration, TimeProvider clock, ILogger<InboundPoller> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var options = ImapOptions.From(configuration);
        if (!options.Configured)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var scope = services.CreateSystemScope();
                var summary = await ImapMailbox.PollAsync(scope.ServiceProvider.GetRequiredService<DunwellDb>(), options, clock, stoppingToken);
                if (summary.Recorded > 0 && log.IsEnabled(LogLevel.Information))
                {
                    log.LogInformation("Recorded {Count} inbound emails.", summary.Recorded);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // a mailbox that is down must not stop the server; the next poll tries again
            catch (Exception e)
#pragma warning restore CA1031
            {
                log.LogWarning(e, "Polling the inbound mailbox failed; trying again at the next poll.");
            }

            await Task.Delay(TimeSpan.FromSeconds(Math.Max(5, options.PollSeconds)), stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }
}

internal static class InboundVerbs
{
    public static Command Command()
    {
        var poll = new Command("poll", "Read new customer emails from the configured IMAP mailbox and record each once.");
        poll.SetAction((_, ct) => Cli.RunVerbAsync(async (services, token) =>
        {
            var options = ImapOptions.From(services.GetRequiredService<IConfiguration>());
            if (!options.Configured)
            {
                throw new VerbException($"No mailbox configured: set {ImapOptions.Section}:Host, :User and the password (Dunwell__Inbound__Imap__Password).");
            }

            var summary = await ImapMailbox.PollAsync(services.GetRequiredService<DunwellDb>(), options, services.GetRequiredService<TimeProvider>(), token);
            await Console.Out.WriteLineAsync($"Read {summary.Seen} new messages: {summary.Recorded} recorded, {summary.AlreadyRecorded} already recorded, {summary.Ignored} not addressed to Dunwell.");
            return 0;
        }, ct));
        return new Command("inbound", "Customers' messages coming in.") { poll };
    }
}
