using Dunwell.Data;
using Dunwell.Domain.Compliance;
using Dunwell.Domain.Messages;
using Dunwell.Features.Compliance;
using Dunwell.Features.CreditorPolicies;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using NodaTime;

namespace Dunwell.Features.Messages;

/// <summary>
/// The linter with its context read from an account: its kind, its creditor's enabled escalations and rule pack,
/// whether it is time-barred and inside its validation period. Template renders, the outbox and agents' free-text
/// messages all check through here, so they all see the same facts.
/// </summary>
public static class MessageChecks
{
    /// <summary>
    /// The context for a message about the account on the channel, as of <paramref name="at"/>; null when the account
    /// does not exist or is outside the caller's creditors. Throws <see cref="ArgumentException"/> for a language the
    /// linter has no rules for.
    /// </summary>
    public static async Task<LintContext?> ContextAsync(
        DunwellDb db, long accountId, LintChannel channel, string language, Instant at, CancellationToken cancellationToken)
    {
        var lang = LintContext.LanguageOf(language)
            ?? throw new ArgumentException($"The linter has no rules for language '{language}'; it knows {string.Join(", ", LintContext.Languages)}.", nameof(language));
        var account = await db.Accounts.AsNoTracking().Where(a => a.Id == accountId)
            .Select(a => new { a.Kind, a.CreditorId, a.LimitationDate, a.ValidationNoticeSentAt, a.ValidationPeriodEnd, a.Creditor.JurisdictionPack, a.Creditor.TimeZone, a.Debtor.Country })
            .SingleOrDefaultAsync(cancellationToken);
        if (account is null)
        {
            return null;
        }

        var policy = await PolicyStore.CurrentAsync(db, account.CreditorId, cancellationToken);
        var today = at.InZone(DateTimeZoneProviders.Tzdb.GetZoneOrNull(account.TimeZone) ?? DateTimeZone.Utc).Date;
        var periodEnd = account.ValidationPeriodEnd
            ?? (account.ValidationNoticeSentAt is { } sent ? RegulationF.ValidationPeriodEnd(sent.InUtc().Date) : null);
        var pack = ContactQuestion.PackFor(account.JurisdictionPack, account.Kind, account.Country);
        return LintContext.For(channel, lang, account.Kind, policy.Policy.EnabledConsequences, account.LimitationDate is { } barred && barred <= today, pack)
            with
        {
            InValidationPeriod = periodEnd is { } end && today <= end,
        };
    }

    /// <summary>Lints a message about the account as of now (the application's clock).</summary>
    public static Task<LintResult> CheckAsync(
        DunwellDb db, long accountId, string text, ContactChannel channel, string language, CancellationToken cancellationToken) =>
        CheckAsync(db, accountId, text, channel, language, ClockOf(db).Now(), cancellationToken);

    /// <summary>Lints a message about the account as of <paramref name="at"/>; throws when the account is not found.</summary>
    public static async Task<LintResult> CheckAsync(
        DunwellDb db, long accountId, string text, ContactChannel channel, string language, Instant at, CancellationToken cancellationToken)
    {
        var context = await ContextAsync(db, accountId, LintContext.ChannelOf(channel), language, at, cancellationToken)
            ?? throw new InvalidOperationException($"Account {accountId} was not found (or is outside the caller's creditors).");
        return MessageLinter.Check(text, context);
    }

    /// <summary>The application's clock, as the database context's services hold it (a test's fake clock in tests).</summary>
    private static TimeProvider ClockOf(DunwellDb db) =>
        db.GetService<IDbContextOptions>().FindExtension<CoreOptionsExtension>()?.ApplicationServiceProvider?.GetService<TimeProvider>()
        ?? throw new InvalidOperationException("No clock is registered with the application.");
}
