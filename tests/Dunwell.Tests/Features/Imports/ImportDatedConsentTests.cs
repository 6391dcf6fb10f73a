using Dunwell.Domain.Accounts;
using Dunwell.Tests.Support;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using static Dunwell.Tests.Features.Imports.ImportKit;

namespace Dunwell.Tests.Features.Imports;

/// <summary>
/// A creditor's history in the placement file: consents and opt-outs dated to when the customer gave them, so the rules
/// count from then; a time to come or one that does not say its offset is refused on its line and column.
/// </summary>
public sealed class ImportDatedConsentTests
{
    // Monday 2 March 2026, 11:00 in New York.
    private static readonly Instant Now = Instant.FromUtc(2026, 3, 2, 16, 0);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private const string Header = PlacementHeader + ",consent_to_calls_at,opt_out_sms_at,email_consent_at";

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Dated_consent_and_opt_out_columns_record_when_they_were_given_and_bad_ones_are_refused_by_line_and_column(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var good = Row("A-1", "D-1") + ",2026-03-01T14:05:00-05:00,2026-02-20T10:00:00Z,2026-03-01T09:00:00-05:00";
        var csv = Csv(
            Header,
            good,
            Row("A-2", "D-2") + ",2026-03-03T09:00:00-05:00,,",
            Row("A-3", "D-3") + ",,,yesterday",
            Row("A-4", "D-4") + ",,2026-03-01T10:00,",
            Row("A-5", "D-5", ("email", "")) + ",,,2026-03-01T09:00:00Z");

        var report = await PlacementsAsync(app, csv, skipInvalid: true);

        Assert.True(report.Applied);
        Assert.Equal(
            [(3, "consent_to_calls_at", "in the future"), (4, "email_consent_at", "is not an instant"), (5, "opt_out_sms_at", "has no offset"),
                (6, "email_consent_at", "email column")],
            report.Errors.Select(e => (e.Line, e.Column, Fragment(e.Reason, "in the future", "is not an instant", "has no offset", "email column"))));
        var flags = await app.WithDbAsync(db => db.DebtorFlags.ToListAsync(Cancel));
        Assert.Equal(
            [
                (DebtorFlagKind.ConsentToCalls, new LocalDate(2026, 3, 1), Instant.FromUtc(2026, 3, 1, 19, 5)),
                (DebtorFlagKind.OptOutSms, new LocalDate(2026, 2, 20), Instant.FromUtc(2026, 2, 20, 10, 0)),
            ],
            flags.Select(f => (f.Kind, f.Since, f.At!.Value)).OrderBy(f => f.Kind.ToString(), StringComparer.Ordinal));
        Assert.All(flags, f => Assert.Equal((Now, "system:test", (LocalDate?)null), (f.RecordedAt, f.RecordedBy, f.Until)));
        var email = await app.WithDbAsync(db => db.DebtorContacts.SingleAsync(c => c.Kind == ContactKind.Email, Cancel));
        Assert.Equal((ConsentState.Granted, Instant.FromUtc(2026, 3, 1, 14, 0)), (email.Consent, email.ConsentChangedAt));

        // The customer opts out of that email later; the same file sent again adds no flag and does not give the consent back.
        await app.WithDbAsync(async db =>
        {
            var contact = await db.DebtorContacts.SingleAsync(c => c.Kind == ContactKind.Email, Cancel);
            contact.Consent = ConsentState.OptedOut;
            contact.ConsentChangedAt = Instant.FromUtc(2026, 3, 2, 14, 0);
            await db.SaveChangesAsync(Cancel);
        });
        var again = await PlacementsAsync(app, Csv(Header, Row("A-1", "D-1", ("name", "Jane Q Doe")) + good[good.IndexOf(",2026-03-01T14:05", StringComparison.Ordinal)..]));

        Assert.True(again.Applied, string.Join("; ", again.Errors.Select(e => $"{e.Line} {e.Column}: {e.Reason}")));
        Assert.Equal(2, await app.WithDbAsync(db => db.DebtorFlags.CountAsync(Cancel)));
        Assert.Equal(ConsentState.OptedOut, await app.WithDbAsync(db => db.DebtorContacts.Where(c => c.Kind == ContactKind.Email).Select(c => c.Consent).SingleAsync(Cancel)));
    }

    private static string Fragment(string reason, params string[] fragments) =>
        fragments.FirstOrDefault(f => reason.Contains(f, StringComparison.Ordinal)) ?? reason;
}
