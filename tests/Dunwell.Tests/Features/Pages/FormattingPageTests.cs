using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Dunwell.Data;
using Dunwell.Domain.Accounts;
using Dunwell.Domain.Amounts;
using Dunwell.Domain.Arrangements;
using Dunwell.Features.Demo;
using Dunwell.Tests.Support;
using Dunwell.Web;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Dunwell.Tests.Features.Pages;

/// <summary>
/// One way to write money, people and instants on every page: the currency's symbol and the viewer's grouping (never
/// "1144.99 GBP" beside "£1,144.99"), people's names (never "user:agent@demo.test"), local times with their zone.
/// </summary>
public sealed partial class FormattingPageTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [GeneratedRegex(@"\d\.\d{2} (USD|GBP|EUR)\b")]
    private static partial Regex AmountWithCode();

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Pages_write_money_with_the_currency_symbol_in_the_viewers_locale_and_people_by_name(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Instant.FromUtc(2026, 3, 4, 15, 30));
        await using (var scope = app.Services.CreateSystemScope())
        {
            await DemoPortfolio.SeedAsync(scope.ServiceProvider, 600, Cancel);
        }

        var accountId = await app.WithDbAsync(db => db.Arrangements
            .Where(a => a.State == ArrangementState.Active && a.Kind == ArrangementKind.Plan && a.Currency == "GBP").Select(a => a.AccountId).FirstAsync(Cancel));
        var admin = await PageSession.SignedInAsync(app, Roles.Admin);
        var page = WebUtility.HtmlDecode(await admin.GetStringAsync($"/accounts/{accountId}", Cancel));
        var approvals = WebUtility.HtmlDecode(await admin.GetStringAsync("/approvals", Cancel));
        var rates = WebUtility.HtmlDecode(await admin.GetStringAsync("/admin/rates", Cancel));
        using var german = new HttpRequestMessage(HttpMethod.Get, $"/accounts/{accountId}");
        german.Headers.AcceptLanguage.ParseAdd("de-DE");
        var inGerman = WebUtility.HtmlDecode(await (await admin.SendAsync(german, Cancel)).Content.ReadAsStringAsync(Cancel));

        // The ledger, the arrangements, the offers' prose and the notes Dunwell wrote all write money one way.
        Assert.DoesNotMatch(AmountWithCode(), page);
        Assert.Matches(@"Pay the full £\d{1,3}(,\d{3})*\.\d{2}", page);
        Assert.Matches(@"Paid £\d[\d,]*\.\d{2} of £\d{1,3}(,\d{3})*\.\d{2}", page);
        Assert.DoesNotMatch(AmountWithCode(), approvals);
        Assert.Matches(@"£\d{1,3}(,\d{3})*\.\d{2}", page);
        Assert.Contains("Sam Carter", page, StringComparison.Ordinal);
        Assert.DoesNotContain("user:agent@demo.test", page, StringComparison.Ordinal);
        Assert.DoesNotContain("agent@demo.test", approvals, StringComparison.Ordinal);
        Assert.Contains("Sam Carter", approvals, StringComparison.Ordinal);
        Assert.DoesNotContain("system:demo", rates, StringComparison.Ordinal);
        Assert.Matches(@"\d{2}:\d{2} (GMT|BST|UTC)", page);
        // The viewer's locale groups and places the symbol its own way; nothing else on the page changes with it.
        Assert.Matches(@"\d,\d{2} £", inGerman);
    }

    [Fact]
    public void Pages_write_money_with_the_same_formatter_as_dunwells_messages_minus_sign_included()
    {
        Assert.Equal(MoneyText.Written(-123_966, "GBP"), Display.MoneyIn(-123_966, "GBP", CultureInfo.InvariantCulture));
        Assert.Equal("−£1,239.66", Display.MoneyIn(-123_966, "GBP", CultureInfo.GetCultureInfo("en-GB")));
        Assert.Equal("1,234.567 KWD", Display.MoneyIn(1_234_567, "KWD", CultureInfo.GetCultureInfo("en-US")));
    }
}
