using Dunwell.Data;
using Dunwell.Domain.Accounts;
using Dunwell.Domain.Ledger;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Dunwell.Features.Accounts;

/// <summary>Everything "account at a glance" shows (DESIGN §4.2), loaded in one place for the page and the API.</summary>
public sealed record AccountView(
    long Id,
    string Reference,
    AccountKind Kind,
    AccountStatus Status,
    string Currency,
    LocalDate DueDate,
    LocalDate? ItemizationDate,
    string? OriginalCreditor,
    LocalDate? LastPaymentDate,
    string? AssignedAgent,
    CreditorSummary Creditor,
    DebtorView Debtor,
    Components Balance,
    LocalDate Today,
    int DaysPastDue,
    AgeingBucket Ageing,
    IReadOnlyList<LedgerLine> Ledger,
    IReadOnlyList<InteractionLine> Interactions)
{
    /// <summary>The first day suit can no longer be brought, when known.</summary>
    public LocalDate? LimitationDate { get; init; }

    public Instant? ValidationNoticeSentAt { get; init; }

    public LocalDate? ValidationPeriodEnd { get; init; }

    /// <summary>Newest received first.</summary>
    public IReadOnlyList<DisputeLine> Disputes { get; init; } = [];

    /// <summary>Time-barred from the limitation date on, in the creditor's calendar.</summary>
    public bool TimeBarred => LimitationDate is { } limitation && limitation <= Today;
}

/// <summary>A dispute of the account: the whole debt when <see cref="AmountMinor"/> is null; open until verification is sent.</summary>
public sealed record DisputeLine(
    long Id, Instant ReceivedAt, bool Written, long? AmountMinor, string? Note, Instant? VerifiedAt, string? VerifiedBy, string RecordedBy, Instant RecordedAt)
{
    public bool Open => VerifiedAt is null;
}

public sealed record CreditorSummary(long Id, string Reference, string Name, string JurisdictionPack, string TimeZone);

public sealed record DebtorView(
    long Id,
    string Reference,
    DebtorKind Kind,
    string Name,
    string? AddressLine1,
    string? AddressLine2,
    string? City,
    string? Region,
    string? PostalCode,
    string Country,
    string? TimeZone,
    string? Language,
    InteractionChannel? PreferredChannel,
    LocalTime? ContactFrom,
    LocalTime? ContactUntil,
    string? ToneNotes,
    IReadOnlyList<ContactLine> Contacts,
    IReadOnlyList<FlagLine> Flags)
{
    /// <summary>Where the debtor has said they are now (IANA zone), when they have.</summary>
    public string? LocationTimeZone { get; init; }

    /// <summary>The creditor whose customer this is (debtor references are that creditor's own).</summary>
    public string CreditorReference { get; init; } = "";

    public IReadOnlyList<InconvenientTimeLine> InconvenientTimes { get; init; } = [];
}

public sealed record ContactLine(long Id, ContactKind Kind, string Value, string? Label, string? TimeZone, ConsentState Consent)
{
    public Instant? ConsentExpiresAt { get; init; }

    public bool Workplace { get; init; }

    public bool EmployerProhibits { get; init; }

    public bool InconvenientPlace { get; init; }
}

/// <summary>A local time range the debtor called inconvenient; <see cref="Days"/> empty means every day.</summary>
public sealed record InconvenientTimeLine(LocalTime From, LocalTime Until, IReadOnlyList<IsoDayOfWeek> Days)
{
    /// <summary>00:00 to 00:00, as stored for "00:00 to 24:00": every hour of its days.</summary>
    public bool IsWholeDay => From == LocalTime.Midnight && Until == LocalTime.Midnight;
}

public sealed record FlagLine(long Id, DebtorFlagKind Kind, LocalDate Since, LocalDate? Until, string? Note, bool InForce)
{
    /// <summary>For a consent or an opt-out: when the customer gave it, when that was said.</summary>
    public Instant? At { get; init; }

    /// <summary>For a consent or an opt-out: when the customer withdrew it, when that was said.</summary>
    public Instant? EndedAt { get; init; }

    /// <summary>When it was recorded (or last ended), whatever instant it names.</summary>
    public Instant RecordedAt { get; init; }

    /// <summary>For a breathing space, the last protected day the rules use (see <see cref="Of"/>); otherwise null.</summary>
    public LocalDate? ProtectedThrough { get; init; }

    /// <summary>
    /// A flag as of <paramref name="today"/>. A breathing space is in force through its last protected day: the notified
    /// end, or day 60 of a standard one, though no until was recorded. A withdrawn consent or opt-out is not in force.
    /// </summary>
    public static FlagLine Of(long id, DebtorFlagKind kind, LocalDate since, LocalDate? until, string? note, LocalDate today, bool withdrawn = false)
    {
        var through = Compliance.ContactQuestion.IsBreathingSpace(kind)
            ? Domain.Compliance.BreathingSpaces.LastProtectedDay(Compliance.ContactQuestion.BreathingSpaceOf(kind, since, until))
            : until;
        return new FlagLine(id, kind, since, until, note, since <= today && (through is null || through >= today) && !withdrawn)
        {
            ProtectedThrough = Compliance.ContactQuestion.IsBreathingSpace(kind) ? through : null,
        };
    }
}

public sealed record LedgerLine(
    long Id, LedgerEntryKind Kind, LocalDate ValueDate, Instant PostedAt, string PostedBy, Components Amount,
    string? Method, string? Reference, long? ReversesEntryId, string? Note);

public sealed record InteractionLine(
    long Id, InteractionChannel Channel, InteractionDirection Direction, Instant OccurredAt, Instant RecordedAt, string Author,
    OutcomeCode Outcome, bool Conversation, string? Notes, long? CorrectsInteractionId)
{
    /// <summary>Set when the attempt was made while the compliance engine did not allow it.</summary>
    public string? ComplianceException { get; init; }

    /// <summary>Every account it was about, the one it is recorded on first; empty when read without them (that one alone).</summary>
    public IReadOnlyList<long> Accounts { get; init; } = [];
}

public static class AccountQueries
{
    /// <summary>The account with its debtor, balance (sum of the ledger), ageing in the creditor's calendar, ledger and timeline.</summary>
    public static async Task<AccountView?> GetAsync(DunwellDb db, long accountId, Instant now, IDateTimeZoneProvider zones, CancellationToken cancellationToken)
    {
        var account = await db.Accounts.AsNoTracking()
            .Where(a => a.Id == accountId)
            .Select(a => new
            {
                a.Id,
                a.Reference,
                a.Kind,
                a.Status,
                a.Currency,
                a.DueDate,
                a.ItemizationDate,
                a.OriginalCreditor,
                a.LastPaymentDate,
                a.AssignedAgent,
                a.DebtorId,
                a.LimitationDate,
                a.ValidationNoticeSentAt,
                a.ValidationPeriodEnd,
                Creditor = new CreditorSummary(a.Creditor.Id, a.Creditor.Reference, a.Creditor.Name, a.Creditor.JurisdictionPack, a.Creditor.TimeZone),
            })
            .SingleOrDefaultAsync(cancellationToken);
        if (account is null)
        {
            return null;
        }

        var debtor = await GetDebtorAsync(db, account.DebtorId, now, zones, cancellationToken)
            ?? throw new InvalidOperationException($"Account {accountId} names debtor {account.DebtorId}, which does not exist.");

        var ledger = await db.Ledger.AsNoTracking()
            .Where(e => e.AccountId == accountId)
            .OrderBy(e => e.ValueDate).ThenBy(e => e.Id)
            .Select(e => new LedgerLine(e.Id, e.Kind, e.ValueDate, e.PostedAt, e.PostedBy, new Components(e.Principal, e.Interest, e.Fees),
                e.Method, e.Reference, e.ReversesEntryId, e.Note))
            .ToListAsync(cancellationToken);

        var interactions = await Interactions.InteractionTimeline.OfAsync(db, accountId, account.DebtorId, cancellationToken);

        var disputes = await DisputesAsync(db, accountId, cancellationToken);

        var today = now.InZone(ZoneOr(zones, account.Creditor.TimeZone)).Date;

        // Nothing owed, nothing overdue: a paid account is not "120+ days past due".
        var balance = Components.Sum(ledger.Select(l => l.Amount));
        var owing = balance.Total > 0;
        return new AccountView(
            account.Id, account.Reference, account.Kind, account.Status, account.Currency, account.DueDate, account.ItemizationDate,
            account.OriginalCreditor, account.LastPaymentDate, account.AssignedAgent, account.Creditor, debtor,
            balance, today, owing ? Ageing.DaysPastDue(account.DueDate, today) : 0,
            owing ? Ageing.BucketFor(account.DueDate, today) : AgeingBucket.Current, ledger, interactions)
        {
            LimitationDate = account.LimitationDate,
            ValidationNoticeSentAt = account.ValidationNoticeSentAt,
            ValidationPeriodEnd = account.ValidationPeriodEnd,
            Disputes = disputes,
        };
    }

    public static async Task<DebtorView?> GetDebtorAsync(DunwellDb db, long debtorId, Instant now, IDateTimeZoneProvider zones, CancellationToken cancellationToken)
    {
        var debtor = await db.Debtors.AsNoTracking()
            .Where(d => d.Id == debtorId)
            .Include(d => d.Contacts)
            .Include(d => d.Flags)
            .Include(d => d.InconvenientTimes)
            .AsSplitQuery()
            .SingleOrDefaultAsync(cancellationToken);
        if (debtor is null)
        {
            return null;
        }

        var today = now.InZone(ZoneOr(zones, debtor.TimeZone)).Date;
        var creditorReference = await db.Creditors.Where(c => c.Id == debtor.CreditorId).Select(c => c.Reference).SingleAsync(cancellationToken);
        return new DebtorView(
            debtor.Id, debtor.Reference, debtor.Kind, debtor.Name, debtor.AddressLine1, debtor.AddressLine2, debtor.City, debtor.Region,
            debtor.PostalCode, debtor.Country, debtor.TimeZone, debtor.Language, debtor.PreferredChannel, debtor.ContactFrom, debtor.ContactUntil,
            debtor.ToneNotes,
            [.. debtor.Contacts.OrderBy(c => c.Kind).ThenBy(c => c.Id).Select(c => new ContactLine(c.Id, c.Kind, c.Value, c.Label, c.TimeZone, c.Consent)
            {
                ConsentExpiresAt = c.ConsentExpiresAt,
                Workplace = c.Workplace,
                EmployerProhibits = c.EmployerProhibits,
                InconvenientPlace = c.InconvenientPlace,
            })],
            [.. debtor.Flags.OrderBy(f => f.Since).Select(f => FlagLine.Of(f.Id, f.Kind, f.Since, f.Until, f.Note, today, withdrawn: f.EndedAt <= now) with
            {
                At = f.At,
                EndedAt = f.EndedAt,
                RecordedAt = f.RecordedAt,
            })])
        {
            CreditorReference = creditorReference,
            LocationTimeZone = debtor.LocationTimeZone,
            InconvenientTimes = [.. debtor.InconvenientTimes.OrderBy(t => t.From).ThenBy(t => t.Id)
                .Select(t => new InconvenientTimeLine(t.From, t.Until, Debtors.DayNames.Parse(t.Days)))],
        };
    }

    /// <summary>An account's disputes, newest received first.</summary>
    public static Task<List<DisputeLine>> DisputesAsync(DunwellDb db, long accountId, CancellationToken cancellationToken) =>
        db.Disputes.AsNoTracking()
            .Where(d => d.AccountId == accountId)
            .OrderByDescending(d => d.ReceivedAt).ThenByDescending(d => d.Id)
            .Select(d => new DisputeLine(d.Id, d.ReceivedAt, d.Written, d.AmountMinor, d.Note, d.VerifiedAt, d.VerifiedBy, d.RecordedBy, d.RecordedAt))
            .ToListAsync(cancellationToken);

    /// <summary>The balance of one account: the plain sum of its ledger.</summary>
    public static async Task<Components> BalanceAsync(DunwellDb db, long accountId, CancellationToken cancellationToken)
    {
        var sums = await db.Ledger
            .Where(e => e.AccountId == accountId)
            .GroupBy(e => e.AccountId)
            .Select(g => new { P = g.Sum(e => e.Principal), I = g.Sum(e => e.Interest), F = g.Sum(e => e.Fees) })
            .SingleOrDefaultAsync(cancellationToken);
        return sums is null ? Components.None : new Components(sums.P, sums.I, sums.F);
    }

    private static DateTimeZone ZoneOr(IDateTimeZoneProvider zones, string? id) =>
        id is not null && zones.GetZoneOrNull(id) is { } zone ? zone : DateTimeZone.Utc;
}
