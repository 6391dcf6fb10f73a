using Dunwell.Data;
using Dunwell.Domain.Accounts;
using Dunwell.Domain.Compliance;
using Dunwell.Features.Accounts;
using Dunwell.Features.Messages;
using Dunwell.Features.Templates;
using Dunwell.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace Dunwell.Tests.Features.Templates;

/// <summary>The default set is there from the start, renders for every purpose, language and kind, and lints clean in its own context.</summary>
public sealed class DefaultTemplateTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static readonly Instant Now = Instant.FromUtc(2026, 3, 2, 16, 0);

    public static TheoryData<string, string, string, AccountKind, string, string> Contexts => new()
    {
        { "sqlite", "US-FDCPA", "en-US", AccountKind.Consumer, "USD", "America/New_York" },
        { "postgres", "US-FDCPA", "es-US", AccountKind.Consumer, "USD", "America/New_York" },
        { "sqlite", "UK-FCA", "en-GB", AccountKind.Consumer, "GBP", "Europe/London" },
        { "postgres", "B2B-UK", "en-GB", AccountKind.Commercial, "GBP", "Europe/London" },
        { "sqlite", "B2B-EU", "de-DE", AccountKind.Commercial, "EUR", "Europe/Berlin" },
    };

    [Theory]
    [MemberData(nameof(Contexts))]
    public async Task Every_default_template_renders_in_its_language_with_the_packs_blocks_and_no_blocking_finding(
        string provider, string pack, string language, AccountKind kind, string currency, string zone)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var accountId = await TemplateSeed.AccountAsync(app, pack: pack, kind: kind, language: language, currency: currency, zone: zone);
        var composer = app.Services.GetRequiredService<IMessageComposer>();
        var wanted = TemplateLanguage.Normalise(language)!;

        foreach (var purpose in TemplatePurposes.All.Keys.Where(p => p != TemplatePurposes.FinalNotice))
        {
            foreach (var channel in new[] { ContactChannel.Email, ContactChannel.Sms, ContactChannel.Letter })
            {
                var message = new OutboxMessage { AccountId = accountId, TemplateKey = purpose, IdempotencyKey = "x", Channel = InteractionChannel.Email };
                var rendered = await app.WithDbAsync(db => composer.ComposeAsync(db, message, channel, Now, Cancel));

                Assert.False(rendered.Lint.Blocks, $"{purpose} {channel} {language}: {string.Join(" | ", rendered.Lint.Findings.Select(f => f.Rule + ": " + f.Explanation))}");
                Assert.Equal(wanted, rendered.Language);
                Assert.NotNull(rendered.TemplateVersionId);
                Assert.DoesNotContain("{{", rendered.Text, StringComparison.Ordinal);
                Assert.Contains(channel == ContactChannel.Sms ? "STOP" : "Northwind", rendered.Text, StringComparison.Ordinal);
                if (pack == "US-FDCPA" && kind == AccountKind.Consumer)
                {
                    Assert.Contains(wanted == "es" ? "cobrador de deudas" : "from a debt collector", rendered.Text, StringComparison.Ordinal);
                }

                if (channel == ContactChannel.Email)
                {
                    Assert.False(string.IsNullOrWhiteSpace(rendered.Subject));
                    Assert.Contains("<html", rendered.Html, StringComparison.Ordinal);
                    Assert.Contains("STOP", rendered.Text, StringComparison.Ordinal);
                }
            }
        }
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task The_statement_shows_the_same_figures_as_the_account_page(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var accountId = await TemplateSeed.AccountAsync(app);
        var composer = app.Services.GetRequiredService<IMessageComposer>();
        var message = new OutboxMessage { AccountId = accountId, TemplateKey = TemplatePurposes.InvoiceCopy, IdempotencyKey = "x" };

        var rendered = await app.WithDbAsync(db => composer.ComposeAsync(db, message, ContactChannel.Email, Now, Cancel));
        var view = await app.WithDbAsync(db => AccountQueries.GetAsync(db, accountId, Now, DateTimeZoneProviders.Tzdb, Cancel));

        Assert.Equal(122_500, view!.Balance.Total);
        Assert.Contains("Amount owed: $1,200.00", rendered.Text, StringComparison.Ordinal);
        Assert.Contains("Fees: $25.00", rendered.Text, StringComparison.Ordinal);
        Assert.Contains("Balance today: $1,225.00", rendered.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task The_validation_notice_itemises_since_the_itemisation_date_and_names_the_period_end(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var accountId = await TemplateSeed.AccountAsync(app);
        var composer = app.Services.GetRequiredService<IMessageComposer>();
        var message = new OutboxMessage { AccountId = accountId, TemplateKey = TemplatePurposes.ValidationNotice, IdempotencyKey = "x" };

        var rendered = await app.WithDbAsync(db => composer.ComposeAsync(db, message, ContactChannel.Letter, Now, Cancel));

        // Provided Monday 2 March 2026: assumed received 9 March, the period ends 30 days later (REGULATION.md 1.9).
        Assert.Contains("As of January 15, 2026, you owed: $1,200.00", rendered.Text, StringComparison.Ordinal);
        Assert.Contains("charged this amount in fees: + $25.00", rendered.Text, StringComparison.Ordinal);
        Assert.Contains("Total amount of the debt now: $1,225.00", rendered.Text, StringComparison.Ordinal);
        Assert.Contains("by April 8, 2026", rendered.Text, StringComparison.Ordinal);
        Assert.Contains("This is not my debt.", rendered.Text, StringComparison.Ordinal);
        Assert.Contains("en español", rendered.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_final_notice_without_an_enabled_escalation_is_blocked(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var accountId = await TemplateSeed.AccountAsync(app);
        var composer = app.Services.GetRequiredService<IMessageComposer>();
        var message = new OutboxMessage { AccountId = accountId, TemplateKey = TemplatePurposes.FinalNotice, IdempotencyKey = "x" };

        var rendered = await app.WithDbAsync(db => composer.ComposeAsync(db, message, ContactChannel.Email, Now, Cancel));

        Assert.True(rendered.Lint.Blocks);
        Assert.Equal(MessageComposer.NoEscalation, rendered.Lint.Findings[0].Rule);
    }

    [Fact]
    public async Task The_default_set_is_saved_once_as_version_1()
    {
        await using var database = await TestDatabase.CreateAsync("sqlite");
        await using var app = await TestApp.StartAsync(database, Now);

        await app.WithDbAsync(db => DefaultTemplates.SeedAsync(db, Now, Cancel));
        var saved = await app.WithDbAsync(db => db.Templates.ToListAsync(Cancel));

        Assert.Equal(DefaultTemplates.All.Count, saved.Count);
        Assert.All(saved, t => Assert.Equal(1, t.Version));
        Assert.Equal(TemplatePurposes.All.Count * 3 * 5, saved.Count); // en and es both kinds, de commercial only
        Assert.Contains(saved, t => t.Purpose == "arrangement-recap" && t.Language == "de" && t.Channel == TemplateChannel.Sms);
    }
}
