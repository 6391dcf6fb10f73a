using Dunwell.Data;
using Dunwell.Features.Messages.Sms;
using Microsoft.AspNetCore.Mvc.Testing;
using Dunwell.Tests.Support;

namespace Dunwell.Tests.Features.Inbound;

/// <summary>The SMS provider's side of the inbound webhook: a host that knows the token, and signed form posts to it.</summary>
internal static class InboundKit
{
    public const string Token = "test-provider-token";

    public const string PublicBase = "https://dunwell.example";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>The same application, configured with the SMS provider's token and Dunwell's public address.</summary>
    public static WebApplicationFactory<Program> WithSmsProvider(TestApp app) => app.WithWebHostBuilder(b =>
    {
        b.UseSetting("Dunwell:Sms:AuthToken", Token);
        b.UseSetting("Dunwell:Sms:PublicBaseUrl", PublicBase);
    });

    public static async Task<HttpResponseMessage> TextAsync(HttpClient client, string from, string body, string sid, string signWith = Token, string to = "+15550001111")
    {
        var form = new Dictionary<string, string> { ["From"] = from, ["To"] = to, ["Body"] = body, ["MessageSid"] = sid };
        var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/sms/inbound") { Content = new FormUrlEncodedContent(form) };
        request.Headers.Add(SmsSignature.Header, SmsSignature.Compute(signWith, PublicBase + "/webhooks/sms/inbound", form));
        return await client.SendAsync(request, Cancel);
    }

    /// <summary>A second creditor with one account, to show what the first creditor's callers cannot see.</summary>
    public static Task<long> SeedOtherCreditorAsync(TestApp app) => app.WithDbAsync(async db =>
    {
        var creditor = new Creditor { Reference = "OTH", Name = "Other Lending", JurisdictionPack = "US-FDCPA", TimeZone = "America/Chicago" };
        var debtor = new Debtor
        {
            Creditor = creditor,
            Reference = "OTH-D",
            Kind = Domain.Accounts.DebtorKind.Person,
            Name = "Owen Hale",
            SearchName = "owen hale",
            Country = "US",
            Contacts = [new DebtorContact { Kind = Domain.Accounts.ContactKind.Phone, Value = "+13125550100", Consent = Domain.Accounts.ConsentState.Granted }],
        };
        var account = new Account
        {
            Reference = "OTH-200",
            Creditor = creditor,
            Debtor = debtor,
            Kind = Domain.Accounts.AccountKind.Consumer,
            Currency = "USD",
            DueDate = new NodaTime.LocalDate(2026, 1, 10),
            Status = Domain.Accounts.AccountStatus.Active,
        };
        db.Accounts.Add(account);
        await db.SaveChangesAsync(Cancel);
        return account.Id;
    });
}
