using System.Globalization;
using Dunwell.Data;
using Dunwell.Domain.Accounts;
using Dunwell.Domain.Compliance;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Dunwell.Features.Compliance;

/// <summary>One way of reaching the debtor (a number to call, an address to write to) and what the engine says of it now.</summary>
public sealed record ContactNowLine(string What, ContactDecision Decision);

/// <summary>
/// What the account page shows before anyone dials or writes: each phone, email and the post, decided now. Times are on
/// the debtor's clock, in the zones the rules used; <paramref name="Fallback"/> (the creditor's zone) only writes a time
/// whose decision names no zone.
/// </summary>
public sealed record ContactNowPanel(IReadOnlyList<ContactNowLine> Lines, string Pack, IReadOnlyList<string> Zones, Instant Now, DateTimeZone Fallback)
{
    /// <summary>An instant on the debtor's clock in the zones <paramref name="zones"/> names: "Mon 2 Mar 2026, 08:00 EST".</summary>
    public string DebtorTime(Instant instant, IReadOnlyList<string> zones) =>
        DebtorTime(instant, Compliance.DebtorTime.Zones(zones));

    private string DebtorTime(Instant instant, IReadOnlyList<DateTimeZone> zones) =>
        Compliance.DebtorTime.Of(instant, zones.Count > 0 ? zones : [Fallback]);

    public static async Task<ContactNowPanel?> LoadAsync(DunwellDb db, long accountId, Instant now, DateTimeZone viewerZone, CancellationToken cancellationToken)
    {
        var question = await ContactQuestion.LoadAsync(db, accountId, ContactChannel.Call, null, ContactPurpose.Collection, now, null, cancellationToken);
        if (question is null)
        {
            return null;
        }

        var debtorId = await db.Accounts.Where(a => a.Id == accountId).Select(a => a.DebtorId).SingleAsync(cancellationToken);
        var contacts = await db.Set<DebtorContact>().AsNoTracking().Where(c => c.DebtorId == debtorId && c.Kind != ContactKind.Address)
            .OrderBy(c => c.Kind).ThenBy(c => c.Id).ToListAsync(cancellationToken);
        var lines = new List<ContactNowLine>();
        foreach (var contact in contacts)
        {
            var id = contact.Id.ToString(CultureInfo.InvariantCulture);
            if (contact.Kind == ContactKind.Phone)
            {
                lines.Add(new($"Call {contact.Value}", question.Via(ContactChannel.Call, id).Decide()));
            }
            else
            {
                lines.Add(new($"Email {contact.Value}", question.Via(ContactChannel.Email, id).Decide()));
            }
        }

        var letter = question.Via(ContactChannel.Letter, null).Decide();
        lines.Add(new("Letter to the postal address", letter));
        return new ContactNowPanel(lines, $"{letter.PackId} {letter.PackVersion}",
            [.. lines.SelectMany(l => l.Decision.Zones).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)], now, viewerZone);
    }
}
