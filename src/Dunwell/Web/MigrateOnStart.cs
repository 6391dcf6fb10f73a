using Dunwell.Data;

namespace Dunwell.Web;

/// <summary>Brings the database schema up to date before the app takes requests (Dunwell:Database:MigrateOnStart, default on).</summary>
internal sealed class MigrateOnStart(IServiceProvider services, IConfiguration configuration) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!configuration.GetValue("Dunwell:Database:MigrateOnStart", true))
        {
            return;
        }

        await using var scope = services.CreateSystemScope();
        await DatabaseSetup.MigrateAsync(scope.ServiceProvider.GetRequiredService<DunwellDb>(), cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
