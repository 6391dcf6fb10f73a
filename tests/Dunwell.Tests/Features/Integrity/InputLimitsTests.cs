using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dunwell.Domain.Accounts;
using Dunwell.Domain.Ledger;
using Dunwell.Tests.Features.Records;
using Dunwell.Tests.Support;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using static Dunwell.Tests.Features.Imports.ImportKit;

namespace Dunwell.Tests.Features.Integrity;

/// <summary>
/// Issue 9, finding 2: hostile amounts and dates are refused where they enter (file, API, query string) with the field or
/// the line and column named, and never become a stored row that later answers 500.
/// </summary>
public sealed class InputLimitsTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static readonly Instant Now = Instant.FromUtc(2026, 3, 2, 15, 0);

    private const string Poison = "92233720368547758.07";

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static HttpRequestMessage Post(string url, object body, string key = "k-1")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = body as HttpContent ?? JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key);
        return request;
    }

    /// <summary>The problem's message for one field, after checking the answer is a 400 problem document naming it.</summary>
    private static async Task<string> FieldErrorAsync(HttpResponseMessage response, string field)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = (await response.JsonAsync()).GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out var messages), $"No error for '{field}' in {errors}");
        return string.Join(" ", messages.EnumerateArray().Select(m => m.GetString()));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_placement_row_beyond_the_maximum_is_refused_naming_line_and_column_and_nothing_is_stored(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var admin = await app.ClientAsAsync(Roles.Admin);
        var csv = Csv(PlacementHeader,
            Row("A-1", changes: [("principal", Poison), ("interest", Poison)]),
            Row("A-2", "D-2", ("principal", "600000000000.00"), ("interest", "600000000000.00")),
            Row("A-3", "D-3", ("due_date", "0001-01-01")),
            Row("A-4", "D-4", ("due_date", "9999-12-31")));

        var response = await admin.PostAsync("/api/v1/imports/placements?skipInvalid=true", new StringContent(csv, Encoding.UTF8, "text/csv"), Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var errors = (await response.JsonAsync()).GetProperty("errors").EnumerateArray()
            .Select(e => (e.GetProperty("line").GetInt32(), e.GetProperty("column").GetString(), e.GetProperty("reason").GetString()!)).ToList();
        Assert.Contains(errors, e => e.Item1 == 2 && e.Item2 == "principal" && e.Item3.Contains("maximum", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Item1 == 2 && e.Item2 == "interest");
        Assert.Contains(errors, e => e.Item1 == 3 && e.Item2 == "principal" && e.Item3.Contains("together", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Item1 == 4 && e.Item2 == "due_date" && e.Item3.Contains("1900-01-01 to 2199-12-31", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Item1 == 5 && e.Item2 == "due_date");
        Assert.Equal(0, await app.WithDbAsync(db => db.Accounts.CountAsync(Cancel)));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task An_account_or_a_payment_beyond_the_maximum_is_a_problem_naming_the_field(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var agent = await app.ClientAsAsync(Roles.Agent);
        var (debtorId, accountId) = await RecordsSeed.AccountAsync(app, agent);
        var account = JsonSerializer.SerializeToNode(RecordsSeed.Account(debtorId, "ACC-2"))!.AsObject();

        account["principal"] = Poison;
        account["interest"] = Poison;
        var poison = await agent.PostAsJsonAsync("/api/v1/accounts", account, Cancel);
        account["principal"] = "600000000000.00";
        account["interest"] = "600000000000.00";
        var sum = await agent.PostAsJsonAsync("/api/v1/accounts", account, Cancel);
        var payment = await agent.SendAsync(Post($"/api/v1/accounts/{accountId}/payments",
            new { amount = "90000000000000000.00", currency = "USD", paidOn = "2026-03-01", method = "card" }), Cancel);

        Assert.Contains("maximum", await FieldErrorAsync(poison, "principal"), StringComparison.Ordinal);
        Assert.Contains("together", await FieldErrorAsync(sum, "principal"), StringComparison.Ordinal);
        Assert.Contains("maximum", await FieldErrorAsync(payment, "amount"), StringComparison.Ordinal);
        Assert.Equal(1, await app.WithDbAsync(db => db.Accounts.CountAsync(Cancel)));
        Assert.Equal(0, await app.WithDbAsync(db => db.Ledger.CountAsync(e => e.Kind == LedgerEntryKind.Payment, Cancel)));
        Assert.Equal(HttpStatusCode.OK, (await agent.GetAsync($"/api/v1/accounts/{accountId}", Cancel)).StatusCode);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Dates_and_instants_outside_1900_to_2199_are_refused_in_bodies_and_query_strings(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var agent = await app.ClientAsAsync(Roles.Agent);
        var (debtorId, accountId) = await RecordsSeed.AccountAsync(app, agent);
        var account = JsonSerializer.SerializeToNode(RecordsSeed.Account(debtorId, "ACC-2"))!.AsObject();

        var paidOn = await agent.SendAsync(Post($"/api/v1/accounts/{accountId}/payments",
            new { amount = "10.00", currency = "USD", paidOn = "0001-01-01", method = "card" }), Cancel);
        var occurredAt = await agent.PostAsJsonAsync($"/api/v1/accounts/{accountId}/interactions",
            new { channel = "note", occurredAt = "0001-01-01T00:00:00Z", notes = "x" }, Cancel);
        account["dueDate"] = "0001-01-01";
        var dueInYearOne = await agent.PostAsJsonAsync("/api/v1/accounts", account, Cancel);
        account["dueDate"] = "9999-12-31";
        var dueIn9999 = await agent.PostAsJsonAsync("/api/v1/accounts", account, Cancel);
        var plan = await agent.SendAsync(Post($"/api/v1/accounts/{accountId}/arrangements",
            new { kind = "plan", firstPaymentOn = "9999-12-10", frequency = "monthly", instalments = 10 }), Cancel);
        var page = await agent.GetAsync("/api/v1/accounts?page=2147483647", Cancel);
        var charges = await agent.GetAsync($"/api/v1/accounts/{accountId}/charges?asOf=9999-12-31", Cancel);
        var options = await agent.GetAsync($"/api/v1/accounts/{accountId}/options?asOf=0001-01-01", Cancel);
        var eligibility = await agent.GetAsync($"/api/v1/accounts/{accountId}/contact-eligibility?channel=call&at=0001-01-01T00:00:00Z", Cancel);

        Assert.Contains("1900-01-01 to 2199-12-31", await FieldErrorAsync(paidOn, "paidOn"), StringComparison.Ordinal);
        Assert.Contains("1900-01-01 to 2199-12-31", await FieldErrorAsync(occurredAt, "occurredAt"), StringComparison.Ordinal);
        await FieldErrorAsync(dueInYearOne, "dueDate");
        await FieldErrorAsync(dueIn9999, "dueDate");
        await FieldErrorAsync(plan, "firstPaymentOn");
        await FieldErrorAsync(page, "page");
        await FieldErrorAsync(charges, "asOf");
        await FieldErrorAsync(options, "asOf");
        await FieldErrorAsync(eligibility, "at");
        Assert.Equal(1, await app.WithDbAsync(db => db.Accounts.CountAsync(Cancel)));
        Assert.Equal(0, await app.WithDbAsync(db => db.Arrangements.CountAsync(Cancel)));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_plan_may_not_start_later_than_the_longest_plan_the_policy_allows(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var agent = await app.ClientAsAsync(Roles.Agent);
        var admin = await app.ClientAsAsync(Roles.Admin);
        var (_, accountId) = await RecordsSeed.AccountAsync(app, agent);

        var late = await admin.SendAsync(Post($"/api/v1/accounts/{accountId}/arrangements",
            new { kind = "plan", firstPaymentOn = "2199-12-10", frequency = "monthly", instalments = 2 }), Cancel);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, late.StatusCode);
        Assert.Contains("first-payment-window", await late.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
        Assert.Equal(0, await app.WithDbAsync(db => db.Arrangements.CountAsync(Cancel)));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task An_instant_without_an_offset_is_refused_alike_in_every_body_and_query_string(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var agent = await app.ClientAsAsync(Roles.Agent);
        var (_, accountId) = await RecordsSeed.AccountAsync(app, agent);
        const string local = "2026-03-02T12:00:00";

        var interaction = await agent.PostAsJsonAsync($"/api/v1/accounts/{accountId}/interactions", new { channel = "note", occurredAt = local, notes = "x" }, Cancel);
        var dispute = await agent.SendAsync(Post($"/api/v1/accounts/{accountId}/disputes", new { receivedAt = local, written = true }), Cancel);
        var facts = await agent.PatchAsync($"/api/v1/accounts/{accountId}", Json($$"""{"validationNoticeSentAt":"{{local}}"}"""), Cancel);
        var eligibility = await agent.GetAsync($"/api/v1/accounts/{accountId}/contact-eligibility?channel=call&at={local}", Cancel);

        foreach (var (response, field) in new[] { (interaction, "occurredAt"), (dispute, "receivedAt"), (facts, "validationNoticeSentAt"), (eligibility, "at") })
        {
            var message = await FieldErrorAsync(response, field);
            Assert.Contains("has no offset: add Z (UTC) or an offset like +01:00", message, StringComparison.Ordinal);
        }

        Assert.Equal(0, await app.WithDbAsync(db => db.Interactions.CountAsync(Cancel)));
        Assert.Equal(0, await app.WithDbAsync(db => db.Disputes.CountAsync(Cancel)));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Unknown_fields_at_any_depth_and_repeated_fields_are_refused_naming_their_path(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var agent = await app.ClientAsAsync(Roles.Agent);
        var admin = await app.ClientAsAsync(Roles.Admin);
        var (debtorId, accountId) = await RecordsSeed.AccountAsync(app, agent);

        var topLevel = await agent.PostAsync("/api/v1/debtors", Json("""{"reference":"D-9","kind":"person","name":"Al","country":"US","nickname":"x"}"""), Cancel);
        var nested = await agent.PostAsync("/api/v1/debtors",
            Json("""{"reference":"D-9","kind":"person","name":"Al","country":"US","contacts":[{"kind":"email","value":"a@b.com","primary":true}]}"""), Cancel);
        var patchNested = await agent.PatchAsync($"/api/v1/debtors/{debtorId}", Json("""{"flags":[{"kind":"vulnerable","since":"2026-02-01","severity":3}]}"""), Cancel);
        var payment = await agent.SendAsync(Post($"/api/v1/accounts/{accountId}/payments",
            Json("""{"amount":"10.00","currency":"USD","paidOn":"2026-03-01","method":"card","overpaymnt":true}""")), Cancel);
        var repeated = await agent.SendAsync(Post($"/api/v1/accounts/{accountId}/payments",
            Json("""{"amount":"10.00","amount":"9999.00","currency":"USD","paidOn":"2026-03-01"}"""), "k-2"), Cancel);
        var policy = await admin.GetStringAsync("/api/v1/creditors/ACME/policy", Cancel);
        var policyWithExtra = JsonSerializer.Deserialize<System.Text.Json.Nodes.JsonObject>(policy)!;
        var body = policyWithExtra["policy"]?.AsObject() ?? policyWithExtra;
        body["promise"]!.AsObject()["maxDaysAheed"] = 400;
        var policyPut = await admin.PutAsync("/api/v1/creditors/ACME/policy", Json(body.ToJsonString()), Cancel);

        Assert.Contains("Unknown field", await FieldErrorAsync(topLevel, "nickname"), StringComparison.Ordinal);
        Assert.Contains("Unknown field", await FieldErrorAsync(nested, "contacts[0].primary"), StringComparison.Ordinal);
        Assert.Contains("Unknown field", await FieldErrorAsync(patchNested, "flags[0].severity"), StringComparison.Ordinal);
        Assert.Contains("Unknown field", await FieldErrorAsync(payment, "overpaymnt"), StringComparison.Ordinal);
        Assert.Contains("more than once", await FieldErrorAsync(repeated, "amount"), StringComparison.Ordinal);
        Assert.Contains("Unknown field", await FieldErrorAsync(policyPut, "promise.maxDaysAheed"), StringComparison.Ordinal);
        Assert.Equal(1, await app.WithDbAsync(db => db.Debtors.CountAsync(Cancel)));
        Assert.Equal(0, await app.WithDbAsync(db => db.Ledger.CountAsync(e => e.Kind == LedgerEntryKind.Payment, Cancel)));
    }

    [Fact]
    public async Task The_openapi_document_states_the_limits_where_it_describes_the_shapes()
    {
        await using var database = await TestDatabase.CreateAsync("sqlite");
        await using var app = await TestApp.StartAsync(database, Now);

        var document = await (await app.CreateClient().GetAsync("/openapi/v1.json", Cancel)).JsonAsync();

        var payment = document.GetProperty("paths").GetProperty("/api/v1/accounts/{id}/payments").GetProperty("post")
            .GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema");
        var schema = payment.TryGetProperty("$ref", out var reference)
            ? document.GetProperty("components").GetProperty("schemas").GetProperty(reference.GetString()!.Split('/')[^1])
            : payment;
        Assert.False(schema.GetProperty("additionalProperties").GetBoolean());
        var text = document.GetRawText();
        Assert.Contains("yyyy-MM-dd, from 1900-01-01 to 2199-12-31", text, StringComparison.Ordinal);
        Assert.Contains("without an offset it is refused", text, StringComparison.Ordinal);
        Assert.Contains("at most 1000000000000 (10^12)", text, StringComparison.Ordinal);
    }
}

