using Dunwell.Domain.Compliance;
using Dunwell.Domain.Messages;
using Dunwell.Features.Messages;
using Dunwell.Tests.Features.Records;
using Dunwell.Tests.Support;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Dunwell.Tests.Features.Messages;

/// <summary>The linter with its context read from the account: its creditor's enabled escalations, its pack, time-bar and validation period.</summary>
public sealed class MessageChecksTests
{
    private static readonly Instant Now = Instant.FromUtc(2026, 3, 2, 15, 0);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private const string Signed = " This is a communication from a debt collector. Reply STOP to opt out.";

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task An_escalation_is_an_empty_threat_until_the_creditor_enables_it_and_never_lawful_on_a_time_barred_debt(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var agent = await app.ClientAsAsync("agent");
        var (_, accountId) = await RecordsSeed.AccountAsync(app, agent);
        const string text = "If we cannot agree a plan, we may take legal action." + Signed;

        var before = await app.WithDbAsync(db => MessageChecks.CheckAsync(db, accountId, text, ContactChannel.Email, "en-US", Cancel));
        await MessageTestKit.EnableAsync(app, "ACME", Consequence.Legal);
        var enabled = await app.WithDbAsync(db => MessageChecks.CheckAsync(db, accountId, text, ContactChannel.Email, "en", Cancel));
        await app.WithDbAsync(async db =>
        {
            var account = await db.Accounts.SingleAsync(a => a.Id == accountId, Cancel);
            account.LimitationDate = new LocalDate(2026, 3, 1);
            await db.SaveChangesAsync(Cancel);
        });
        var barred = await app.WithDbAsync(db => MessageChecks.CheckAsync(db, accountId, text, ContactChannel.Email, "en", Cancel));
        var context = await app.WithDbAsync(db => MessageChecks.ContextAsync(db, accountId, LintChannel.Email, "en", Now, Cancel));

        Assert.Equal([RuleIds.EmptyThreatLegal], before.Findings.Where(f => f.Severity == LintSeverity.Block).Select(f => f.Rule));
        Assert.Equal("pass", enabled.Verdict);
        Assert.Equal([RuleIds.EmptyThreatTimeBarred], barred.Findings.Where(f => f.Severity == LintSeverity.Block).Select(f => f.Rule));
        Assert.True(context!.TimeBarred);
        Assert.Equal(RulePacks.UsFdcpaId, context.Pack);
        Assert.Contains(Requirement.DebtCollectorDisclosure, context.Required);
    }
}
