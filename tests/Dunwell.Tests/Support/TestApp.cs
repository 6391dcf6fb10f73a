using System.Net.Http.Headers;
using Dunwell.Data;
using Dunwell.Features;
using Dunwell.Features.Audit;
using Dunwell.Features.Creditors;
using Dunwell.Web.Auth;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using NodaTime;
using NodaTime.Extensions;

namespace Dunwell.Tests.Support;

/// <summary>The real application, in memory, on a real database, with a clock the test controls.</summary>
public sealed class TestApp : WebApplicationFactory<Program>
{
    private readonly TestDatabase _database;

    private TestApp(TestDatabase database, Instant now)
    {
        _database = database;
        Clock = new FakeTimeProvider(now.ToDateTimeOffset());
    }

    public FakeTimeProvider Clock { get; }

    public Instant Now => Clock.GetCurrentInstant();

    /// <summary>Set when started with a real socket, for browser tests.</summary>
    public string? ServerAddress { get; private set; }

    public static async Task<TestApp> StartAsync(TestDatabase database, Instant now, bool onRealSocket = false)
    {
        var app = new TestApp(database, now);
        if (onRealSocket)
        {
            app.UseKestrel(0);
            app.StartServer();
            app.ServerAddress = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        }
        else
        {
            app.StartServer();
        }

        await app.WithDbAsync(db => db.Database.CanConnectAsync());
        return app;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Dunwell:Database:Provider", _database.Provider);
        builder.UseSetting("Dunwell:Database:ConnectionString", _database.ConnectionString);
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
    }

    /// <summary>
    /// Runs <paramref name="work"/> on the database as the system. On SQLite, read events still in the audit spool are
    /// moved first, so a test sees the audit trail as the mover will shortly make it.
    /// </summary>
    public async Task<T> WithDbAsync<T>(Func<DunwellDb, Task<T>> work)
    {
        await MoveAuditSpoolAsync();
        await using var scope = Services.CreateSystemScope();
        return await work(scope.ServiceProvider.GetRequiredService<DunwellDb>());
    }

    public async Task WithDbAsync(Func<DunwellDb, Task> work)
    {
        await MoveAuditSpoolAsync();
        await using var scope = Services.CreateSystemScope();
        await work(scope.ServiceProvider.GetRequiredService<DunwellDb>());
    }

    public async Task MoveAuditSpoolAsync()
    {
        if (Services.GetService<AuditSpool>() is { } spool)
        {
            await spool.DrainAsync(Services, CancellationToken.None);
        }
    }

    /// <summary>
    /// An HTTP client that authenticates exactly as an integrator would: with a real API key of the given role, acting for
    /// the creditors named by reference (every creditor when none are named).
    /// </summary>
    public async Task<HttpClient> ClientAsAsync(string role, params string[] creditors)
    {
        var key = await WithDbAsync(async db =>
        {
            var (grant, error) = await CreditorGrant.ParseAsync(db, creditors.Length == 0 ? "*" : string.Join(',', creditors), CancellationToken.None);
            return await ApiKeys.CreateAsync(db, $"test-{role}-{Guid.NewGuid():N}", role, grant ?? throw new InvalidOperationException(error), Clock.Now(), CancellationToken.None);
        });
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }
}
