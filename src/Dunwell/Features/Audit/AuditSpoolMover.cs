using System.Data.Common;
using Dunwell.Data;
using Microsoft.EntityFrameworkCore;

namespace Dunwell.Features.Audit;

/// <summary>
/// Moves spooled read events into audit_events as soon as they are written, and looks every few seconds anyway (events
/// left by a crash or a stop are moved on the next start). While an import holds the main database, the move waits
/// there, in the background, and nobody waits for it.
/// </summary>
internal sealed class AuditSpoolMover(AuditSpool spool, IServiceProvider services, ILogger<AuditSpoolMover> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await spool.DrainAsync(services, stoppingToken);
                await spool.WaitForWritesAsync(TimeSpan.FromSeconds(5), stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is DbException or DbUpdateException or InvalidOperationException)
            {
                // Busy past the timeouts (a long import) or not migrated yet: the events stay spooled; try again shortly.
                log.LogInformation(e, "Audit spool not moved yet; trying again shortly.");
                await spool.WaitForWritesAsync(TimeSpan.FromSeconds(1), stoppingToken);
            }
        }
    }
}

public static class AuditSpoolSetup
{
    /// <summary>A SQLite host with a database file gets a spool and its mover; PostgreSQL writes read events directly.</summary>
    public static IServiceCollection AddAuditSpool(this IServiceCollection services, IConfiguration configuration)
    {
        if (DatabaseSetup.Provider(configuration) == "sqlite" && AuditSpool.FileFor(DatabaseSetup.ConnectionString(configuration)) is { } file)
        {
            services.AddSingleton(_ => new AuditSpool(file));
            services.AddHostedService<AuditSpoolMover>();
        }

        return services;
    }
}
