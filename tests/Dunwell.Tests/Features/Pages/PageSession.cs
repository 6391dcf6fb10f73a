using System.Net;
using System.Text.RegularExpressions;
using Dunwell.Data;
using Dunwell.Domain.Accounts;
using Dunwell.Domain.Ledger;
using Dunwell.Features.Admin;
using Dunwell.Features.Creditors;
using Dunwell.Tests.Support;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace Dunwell.Tests.Features.Pages;

/// <summary>
/// A person using the pages over HTTP: a real user, signed in through the real /signin form (antiforgery token taken
/// from the page, as a browser would), with cookies kept and redirects left for the test to see.
/// </summary>
internal static partial class PageSession
{
    public const string Password = "Correct-horse-42";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public static HttpClient NewClient(TestApp app) =>
        app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    /// <summary>A user acting for the creditors named by reference (every creditor when none are named).</summary>
    public static async Task AddUserAsync(TestApp app, string email, string role, params string[] creditors)
    {
        await using var scope = app.Services.CreateSystemScope();
        var (grant, error) = await CreditorGrant.ParseAsync(scope.ServiceProvider.GetRequiredService<DunwellDb>(),
            creditors.Length == 0 ? "*" : string.Join(',', creditors), Cancel);
        await AdminVerbs.AddUserAsync(scope.ServiceProvider, email, role, Password, grant ?? throw new InvalidOperationException(error), Cancel);
    }

    /// <summary>A new user with <paramref name="role"/>, signed in; the client carries the session cookie.</summary>
    public static async Task<HttpClient> SignedInAsync(TestApp app, string role, params string[] creditors)
    {
        var email = $"{role}.{string.Join('.', creditors)}@pages.test".Replace(".@", "@", StringComparison.Ordinal);
        await AddUserAsync(app, email, role, creditors);
        var client = NewClient(app);
        var response = await SubmitAsync(client, "/signin", "signin", new() { ["Input.Email"] = email, ["Input.Password"] = Password });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return client;
    }

    /// <summary>GETs <paramref name="pageUrl"/>, takes its antiforgery token, and posts the named form (to <paramref name="postUrl"/> if given).</summary>
    public static async Task<HttpResponseMessage> SubmitAsync(
        HttpClient client, string pageUrl, string formName, Dictionary<string, string> fields, string? postUrl = null)
    {
        var page = await client.GetAsync(pageUrl, Cancel);
        var html = await page.Content.ReadAsStringAsync(Cancel);
        var token = AntiforgeryField().Match(html);
        Assert.True(token.Success, $"No antiforgery token on {pageUrl} ({(int)page.StatusCode}).");
        fields["__RequestVerificationToken"] = token.Groups[1].Value;
        fields["_handler"] = formName;
        return await client.PostAsync(postUrl ?? pageUrl, new FormUrlEncodedContent(fields), Cancel);
    }

    /// <summary>Takes a form's hidden field value from a page (e.g. the payment form's idempotency key).</summary>
    public static string HiddenValue(string html, string name)
    {
        var match = Regex.Match(html, $"name=\"{Regex.Escape(name)}\" value=\"([^\"]*)\"");
        Assert.True(match.Success, $"No field {name} on the page.");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    /// <summary>A textarea's text as the page shows it (still HTML-encoded).</summary>
    public static string TextAreaValue(string html, string name)
    {
        var match = Regex.Match(html, $"<textarea[^>]*name=\"{Regex.Escape(name)}\"[^>]*>([^<]*)</textarea>");
        Assert.True(match.Success, $"No textarea {name} on the page.");
        return match.Groups[1].Value;
    }

    /// <summary>One creditor (US, New York), one debtor with an email and a phone, one account with its opening charge.</summary>
    public static Task<long> SeedAccountAsync(
        TestApp app, string reference = "NWU-100001", string debtorName = "Dana Whitfield", long principal = 120_000, long fees = 2_500) =>
        app.WithDbAsync(async db =>
        {
            var creditor = await db.Creditors.SingleOrDefaultAsync(c => c.Reference == "NWU", Cancel)
                ?? new Creditor { Reference = "NWU", Name = "Northwind Utilities", JurisdictionPack = "US-FDCPA", TimeZone = "America/New_York" };
            var debtor = new Debtor
            {
                Creditor = creditor,
                Reference = $"{reference}-D",
                Kind = DebtorKind.Person,
                Name = debtorName,
                SearchName = debtorName.ToLowerInvariant(),
                AddressLine1 = "12 Maple Avenue",
                City = "Albany",
                Region = "NY",
                PostalCode = "12207",
                Country = "US",
                TimeZone = "America/New_York",
                Language = "en-US",
                Contacts =
                [
                    new DebtorContact { Kind = ContactKind.Email, Value = "dana.whitfield@example.com", Consent = ConsentState.Granted },
                    new DebtorContact { Kind = ContactKind.Phone, Value = "+15185550142", Consent = ConsentState.Unknown, TimeZone = "America/New_York" },
                ],
            };
            var account = new Account
            {
                Reference = reference,
                Creditor = creditor,
                Debtor = debtor,
                Kind = AccountKind.Consumer,
                Currency = "USD",
                DueDate = new LocalDate(2026, 1, 15),
                Status = AccountStatus.Active,
            };
            db.Accounts.Add(account);
            await db.SaveChangesAsync(Cancel);
            db.Ledger.Add(new LedgerEntry
            {
                AccountId = account.Id,
                Kind = LedgerEntryKind.Charge,
                Principal = principal,
                Fees = fees,
                Currency = "USD",
                ValueDate = account.DueDate,
                PostedAt = Instant.FromUtc(2026, 2, 1, 9, 0),
                PostedBy = "test",
            });
            await db.SaveChangesAsync(Cancel);
            return account.Id;
        });

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
