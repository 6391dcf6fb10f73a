using System.Net;
using System.Text.Json;
using Dunwell.Tests.Support;
using NodaTime;

namespace Dunwell.Tests.Features.Records;

public sealed class OpenApiTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_openapi_document_lists_the_records_endpoints_and_the_idempotency_header()
    {
        await using var database = await TestDatabase.CreateAsync("sqlite");
        await using var app = await TestApp.StartAsync(database, Instant.FromUtc(2026, 3, 2, 15, 0));

        var response = await app.CreateClient().GetAsync("/openapi/v1.json", Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = await response.JsonAsync();
        var paths = document.GetProperty("paths");
        string[] expected =
        [
            "/api/v1/debtors", "/api/v1/debtors/{id}", "/api/v1/accounts", "/api/v1/accounts/{id}", "/api/v1/accounts/{id}/payments",
            "/api/v1/accounts/{id}/interactions", "/api/v1/accounts/{id}/ledger/{entryId}", "/api/v1/accounts/{id}/ledger/{entryId}/reversal",
        ];
        Assert.All(expected, path => Assert.True(paths.TryGetProperty(path, out _), $"{path} is missing from the OpenAPI document"));
        Assert.True(paths.GetProperty("/api/v1/debtors/{id}").TryGetProperty("patch", out _));
        Assert.True(paths.GetProperty("/api/v1/accounts").TryGetProperty("post", out _));
        var payment = paths.GetProperty("/api/v1/accounts/{id}/payments").GetProperty("post");
        Assert.Contains(payment.GetProperty("parameters").EnumerateArray(),
            p => p.GetProperty("name").GetString() == "Idempotency-Key" && p.GetProperty("in").GetString() == "header" && p.GetProperty("required").GetBoolean());
        Assert.Equal("PostPayment", payment.GetProperty("operationId").GetString());
        Assert.Equal(JsonValueKind.Object, payment.GetProperty("responses").GetProperty("201").ValueKind);

        // The payment rules are described where the payment is: overpayment and the reference's uniqueness.
        Assert.Contains("\"overpayment\": true", payment.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Contains("unique per creditor", payment.GetProperty("description").GetString(), StringComparison.Ordinal);
        var schemas = document.GetProperty("components").GetProperty("schemas");
        Assert.Equal("#/components/schemas/PostPaymentRequest", payment.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString());
        var request = schemas.GetProperty("PostPaymentRequest").GetProperty("properties");
        Assert.Contains("409", request.GetProperty("reference").GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Contains("422", request.GetProperty("overpayment").GetProperty("description").GetString(), StringComparison.Ordinal);
    }
}
