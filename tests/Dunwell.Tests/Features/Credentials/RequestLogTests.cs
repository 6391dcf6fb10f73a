using System.Collections.Concurrent;
using System.Net.Http.Headers;
using Dunwell.Domain.Accounts;
using Dunwell.Tests.Features.Pages;
using Dunwell.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using NodaTime;

namespace Dunwell.Tests.Features.Credentials;

/// <summary>Request logs carry no personal data at Information level, even when an operator turns ASP.NET's logs up to Information.</summary>
public sealed class RequestLogTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_search_by_name_or_email_leaves_neither_in_the_information_logs(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Instant.FromUtc(2026, 3, 2, 15, 0));
        await PageSession.SeedAccountAsync(app);
        var key = (await app.ClientAsAsync(Roles.Agent)).DefaultRequestHeaders.Authorization!;
        var logs = new CapturedLogs();
        await using var logged = app.WithWebHostBuilder(b =>
        {
            b.UseSetting("Logging:LogLevel:Default", "Information");
            b.UseSetting("Logging:LogLevel:Microsoft.AspNetCore", "Information");
            b.ConfigureLogging(l => l.AddProvider(logs));
        });
        var client = logged.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(key.Scheme, key.Parameter);

        var byName = await client.GetAsync("/api/v1/accounts?q=Whitfield", Cancel);
        var byEmail = await client.GetAsync("/api/v1/accounts?q=dana.whitfield%40example.com", Cancel);

        Assert.True(byName.IsSuccessStatusCode);
        Assert.True(byEmail.IsSuccessStatusCode);
        var information = logs.Entries.Where(e => e.Level >= LogLevel.Information).ToList();
        Assert.Contains(information, e => e.Category.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal)); // the operator's setting took effect
        Assert.Contains(information, e => e is { Category: "Dunwell.Requests" } && e.Message.StartsWith("GET /api/v1/accounts answered 200", StringComparison.Ordinal));
        Assert.DoesNotContain(information, e => e.Message.Contains("Whitfield", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(information, e => e.Message.Contains("example.com", StringComparison.OrdinalIgnoreCase));
    }

    private sealed class CapturedLogs : ILoggerProvider
    {
        public ConcurrentQueue<(string Category, LogLevel Level, string Message)> Entries { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, Entries);

        public void Dispose()
        {
        }

        private sealed class Logger(string category, ConcurrentQueue<(string, LogLevel, string)> entries) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                entries.Enqueue((category, logLevel, formatter(state, exception)));
        }
    }
}
