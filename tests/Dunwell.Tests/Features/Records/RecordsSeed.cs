using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dunwell.Data;
using Dunwell.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Dunwell.Tests.Features.Records;

/// <summary>
/// Seeds the records API the way an integrator would: the creditor through the DbContext (creditors are configuration),
/// debtors and accounts through the API itself.
/// </summary>
internal static class RecordsSeed
{
    public static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public static Task CreditorAsync(TestApp app, string reference = "ACME", string timeZone = "America/New_York") =>
        app.WithDbAsync(async db =>
        {
            db.Creditors.Add(new Creditor
            {
                Reference = reference,
                Name = "Acme Energy",
                JurisdictionPack = "US-FDCPA",
                TimeZone = timeZone,
                CreatedAt = app.Now,
            });
            await db.SaveChangesAsync(Cancel);
        });

    public static object Debtor(string reference = "D-1", string name = "Jane Doe", string phone = "(212) 555-0143", string email = "Jane.Doe@Example.COM") => new
    {
        reference,
        kind = "person",
        name,
        addressLine1 = "12 Orchard Street",
        city = "New York",
        region = "NY",
        postalCode = "10002",
        country = "US",
        language = "en-US",
        preferences = new { channel = "email", contactFrom = "09:00", contactUntil = "17:30", toneNotes = "Prefers short emails" },
        contacts = new object[]
        {
            new { kind = "phone", value = phone, label = "mobile", consent = "granted" },
            new { kind = "email", value = email, label = "home" },
        },
        flags = new object[] { new { kind = "vulnerable", since = "2026-02-01", note = "Recently bereaved" } },
    };

    /// <summary>A request body with <c>creditorReference</c> set: whose customer or account it is.</summary>
    public static Dictionary<string, object?> WithCreditor(object body, string creditor)
    {
        var fields = JsonSerializer.Deserialize<Dictionary<string, object?>>(JsonSerializer.Serialize(body))!;
        fields["creditorReference"] = creditor;
        return fields;
    }

    public static async Task<long> PostDebtorAsync(HttpClient client, object body)
    {
        var response = await client.PostAsJsonAsync("/api/v1/debtors", body, Cancel);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("id").GetInt64();
    }

    public static object Account(long debtorId, string reference = "ACC-1") => new
    {
        reference,
        creditorReference = "ACME",
        debtorId,
        kind = "consumer",
        currency = "USD",
        principal = "500.00",
        interest = "12.40",
        fees = "100",
        dueDate = "2026-01-15",
        itemizationDate = "2026-01-10",
        originalCreditor = "Acme Energy Retail",
    };

    public static async Task<long> PostAccountAsync(HttpClient client, object body)
    {
        var response = await client.PostAsJsonAsync("/api/v1/accounts", body, Cancel);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("id").GetInt64();
    }

    /// <summary>Creditor ACME, debtor D-1 (Jane Doe) and account ACC-1 owing 612.40 USD, due 2026-01-15.</summary>
    public static async Task<(long DebtorId, long AccountId)> AccountAsync(TestApp app, HttpClient agent, string reference = "ACC-1", string debtorReference = "D-1")
    {
        if (!await app.WithDbAsync(db => db.Creditors.AnyAsync(c => c.Reference == "ACME", Cancel)))
        {
            await CreditorAsync(app);
        }

        var debtor = debtorReference == "D-1" ? Debtor() : Debtor(debtorReference, phone: "(212) 555-0144", email: $"{debtorReference.ToLowerInvariant()}@example.com");
        var debtorId = await PostDebtorAsync(agent, debtor);
        var accountId = await PostAccountAsync(agent, Account(debtorId, reference));
        return (debtorId, accountId);
    }

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>(Cancel);

    public static IReadOnlyList<string> ErrorFields(this JsonElement problem) =>
        [.. problem.GetProperty("errors").EnumerateObject().Select(p => p.Name)];
}
