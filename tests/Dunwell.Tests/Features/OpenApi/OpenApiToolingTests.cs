using System.Text.Json;
using Dunwell.Domain.Accounts;
using Dunwell.Tests.Features.Records;
using Dunwell.Tests.Support;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Dunwell.Tests.Features.OpenApi;

/// <summary>
/// The document the running app serves, as tools outside .NET read it: Redocly CLI lints it with no error, and a client
/// generated from it (openapi-typescript, openapi-fetch) type-checks and posts a payment and an arrangement on a live host.
/// </summary>
public sealed class OpenApiToolingTests
{
    private static readonly Instant Now = Instant.FromUtc(2026, 3, 2, 16, 0);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Redocly_lints_the_served_document_with_no_errors()
    {
        var redocly = OpenApiTools.Bin("redocly");
        await using var database = await TestDatabase.CreateAsync("sqlite");
        await using var app = await TestApp.StartAsync(database, Now);
        using var work = new WorkFolder();
        var document = work.File("openapi.json");
        await File.WriteAllTextAsync(document, await app.CreateClient().GetStringAsync("/openapi/v1.json", Cancel), Cancel);

        var (code, output) = await OpenApiTools.RunAsync(OpenApiTools.Folder, redocly,
            "lint", document, "--config", Path.Combine(OpenApiTools.Folder, "redocly.yaml"), "--format", "stylish");

        Assert.True(code == 0, "Redocly found errors in the OpenAPI document:\n" + output);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_client_generated_from_the_document_posts_a_payment_and_an_arrangement(string provider)
    {
        var (generator, tsc) = (OpenApiTools.Bin("openapi-typescript"), OpenApiTools.Bin("tsc"));
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now, onRealSocket: true);
        var agent = await app.ClientAsAsync(Roles.Agent);
        var (_, accountId) = await RecordsSeed.AccountAsync(app, agent);
        using var work = new WorkFolder();
        await File.WriteAllTextAsync(work.File("openapi.json"), await app.CreateClient().GetStringAsync("/openapi/v1.json", Cancel), Cancel);
        File.Copy(Path.Combine(OpenApiTools.Folder, "client-check.mts"), work.File("client-check.mts"));
        File.Copy(Path.Combine(OpenApiTools.Folder, "tsconfig.json"), work.File("tsconfig.json"));

        var generated = await OpenApiTools.RunAsync(work.Path, generator, "openapi.json", "--output", "api.ts");
        Assert.True(generated.Code == 0, generated.Output);
        var compiled = await OpenApiTools.RunAsync(work.Path, tsc, "--project", "tsconfig.json");
        Assert.True(compiled.Code == 0, "The generated client does not type-check:\n" + compiled.Output);
        var ran = await OpenApiTools.RunAsync(work.Path, "client-check.mjs", app.ServerAddress!, agent.DefaultRequestHeaders.Authorization!.Parameter!, $"{accountId}");
        Assert.True(ran.Code == 0, ran.Output);

        var result = JsonDocument.Parse(ran.Output.Trim().Split('\n')[^1]).RootElement;
        Assert.Equal(("10.00", "602.40"), (result.GetProperty("payment").GetProperty("amount").GetString(), result.GetProperty("payment").GetProperty("balance").GetString()));
        Assert.Equal(("promise", "100.00"), (result.GetProperty("arrangement").GetProperty("kind").GetString(), result.GetProperty("arrangement").GetProperty("total").GetString()));
        Assert.Equal(422, result.GetProperty("refused").GetProperty("status").GetInt32());
        Assert.Equal(1, await app.WithDbAsync(db => db.Ledger.CountAsync(e => e.Reference == "GEN-1", Cancel)));
        Assert.Equal(1, await app.WithDbAsync(db => db.Arrangements.CountAsync(a => a.AccountId == accountId, Cancel)));
    }

    /// <summary>A folder under tools/openapi/out, so node finds the tools' packages from it; removed afterwards.</summary>
    private sealed class WorkFolder : IDisposable
    {
        public WorkFolder() => Directory.CreateDirectory(Path);

        public string Path { get; } = System.IO.Path.Combine(OpenApiTools.Folder, "out", Guid.NewGuid().ToString("N"));

        public string File(string name) => System.IO.Path.Combine(Path, name);

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
