using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dunwell.Domain.Accounts;
using Dunwell.Tests.Support;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using static Dunwell.Tests.Features.Imports.ImportKit;

namespace Dunwell.Tests.Features.Imports;

public sealed class ImportApiTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static StringContent CsvBody(string csv) => new(csv, Encoding.UTF8, "text/csv");

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Only_an_admin_may_import(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Instant.FromUtc(2026, 3, 2, 9, 0));
        var agent = await app.ClientAsAsync(Roles.Agent);
        var csv = Csv(PlacementHeader, Row("A-1"));

        var anonymous = await app.CreateClient().PostAsync("/api/v1/imports/placements", CsvBody(csv), Cancel);
        var asAgent = await agent.PostAsync("/api/v1/imports/placements", CsvBody(csv), Cancel);
        var paymentsAsAgent = await agent.PostAsync("/api/v1/imports/payments", CsvBody(Csv(PaymentHeader)), Cancel);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, asAgent.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, paymentsAsAgent.StatusCode);
        Assert.Equal(0, await app.WithDbAsync(db => db.Accounts.CountAsync(Cancel)));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task An_admin_gets_the_report_or_a_422_listing_every_bad_row(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Instant.FromUtc(2026, 3, 2, 9, 0));
        var admin = await app.ClientAsAsync(Roles.Admin);

        var good = await admin.PostAsync("/api/v1/imports/placements", CsvBody(Csv(PlacementHeader, Row("A-1"), Row("A-2"))), Cancel);
        var bad = await admin.PostAsync("/api/v1/imports/placements", CsvBody(Csv(PlacementHeader, Row("A-3"), Row("A-4", changes: ("country", "ZZ")))), Cancel);
        var skipped = await admin.PostAsync("/api/v1/imports/placements?skipInvalid=true", CsvBody(Csv(PlacementHeader, Row("A-3"), Row("A-4", changes: ("country", "ZZ")))), Cancel);
        var payments = await admin.PostAsync("/api/v1/imports/payments", CsvBody(Csv(PaymentHeader, "A-1,5.00,USD,2026-03-01,card,R-1")), Cancel);
        var wrongType = await admin.PostAsync("/api/v1/imports/payments", new StringContent("{}", Encoding.UTF8, "application/json"), Cancel);

        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
        var report = await good.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        Assert.Equal(2, report.GetProperty("created").GetInt32());
        Assert.True(report.GetProperty("applied").GetBoolean());

        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        Assert.Equal("application/problem+json", bad.Content.Headers.ContentType?.MediaType);
        var problem = await bad.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        var error = Assert.Single(problem.GetProperty("errors").EnumerateArray());
        Assert.Equal((3, "country"), (error.GetProperty("line").GetInt32(), error.GetProperty("column").GetString()));
        Assert.Contains("ISO 3166-1", error.GetProperty("reason").GetString(), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, skipped.StatusCode);
        Assert.Equal(1, (await skipped.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("rejected").GetInt32());
        Assert.Equal(HttpStatusCode.OK, payments.StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, wrongType.StatusCode);

        Assert.Equal(3, await app.WithDbAsync(db => db.Accounts.CountAsync(Cancel)));
        var run = await app.WithDbAsync(db => db.ImportRuns.OrderBy(r => r.Id).FirstAsync(Cancel));
        Assert.StartsWith("apikey:test-admin-", run.StartedBy, StringComparison.Ordinal);
    }
}
