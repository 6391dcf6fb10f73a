using System.Data.Common;
using Dunwell.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Dunwell.Features.Messages.Outbox;

/// <summary>
/// The sender inside <c>serve</c> (one per node, when <c>Dunwell:Outbox:SenderEnabled</c> is true): a pass every
/// <c>IntervalSeconds</c>. Nodes share the outbox through the claims, so any number may run.
/// </summary>
internal sealed class BackgroundSender(IServiceProvider services, IOptions<OutboxOptions> options, TimeProvider clock, ILogger<BackgroundSender> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.SenderEnabled)
        {
            return;
        }

        var interval = TimeSpan.FromSeconds(Math.Max(1, options.Value.IntervalSeconds));
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var scope = services.CreateSystemScope();
                var summary = await OutboxSender.From(scope.ServiceProvider).RunAsync(clock.Now(), stoppingToken);
                if (summary.Claimed > 0 && log.IsEnabled(LogLevel.Information))
                {
                    log.LogInformation("Outbox: {Summary}", summary);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is DbException or DbUpdateException or InvalidOperationException)
            {
                // The database is busy or not migrated yet: what was claimed is reclaimed when its lease runs out.
                log.LogWarning(e, "Outbox pass failed; trying again at the next interval.");
            }

            await Task.Delay(interval, clock, stoppingToken);
        }
    }
}

public static class OutboxSetup
{
    /// <summary>The outbox's settings, the email sender when an SMTP server is configured, and the background sender.</summary>
    public static IServiceCollection AddOutbox(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<OutboxOptions>(configuration.GetSection(OutboxOptions.Section));
        services.Configure<Email.EmailOptions>(configuration.GetSection(Email.EmailOptions.Section));
        if (configuration.GetSection(Email.EmailOptions.Section).Get<Email.EmailOptions>() is { Configured: true })
        {
            services.AddSingleton<IChannelSender, Email.SmtpEmailSender>();
        }

        services.AddHostedService<BackgroundSender>();
        return services;
    }
}
