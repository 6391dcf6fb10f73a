using System.Globalization;
using Dunwell.Data;
using Dunwell.Domain.Accounts;
using Dunwell.Domain.Amounts;
using Dunwell.Domain.Compliance;
using Dunwell.Features.Accounts;
using Dunwell.Features.CreditorPolicies;
using Dunwell.Features.Debtors;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using DomainDispute = Dunwell.Domain.Compliance.Dispute;
using DomainFlag = Dunwell.Domain.Compliance.DebtorFlag;

namespace Dunwell.Features.Compliance;

/// <summary>
/// One question to the compliance engine, filled from the database: the debtor with everything recorded about how to
/// reach them, the account, the contact history, and the creditor's rule pack and firm policy. Every path that
/// contacts a debtor (the eligibility API, the account page, recorded attempts, the outbox) asks through here, so they
/// all see the same facts.
/// </summary>
public sealed record ContactQuestion(ContactRequest Request, string Jurisdiction, FirmPolicy? Firm)
{
    /// <summary>How far back contact history is read: the longest window any rule looks at, with room to spare.</summary>
    public static readonly Duration HistoryWindow = Duration.FromDays(31);

    /// <summary>The packs as the creditor reads them (its policy's <see cref="PackReading"/>); the defaults otherwise.</summary>
    public RulePacks Packs { get; init; } = RulePacks.Default;

    public ContactDecision Decide() => ComplianceEngine.Decide(Request, Jurisdiction, Firm, Packs);

    /// <summary>The packs a creditor's policy version reads them as; the version label names the creditor and the policy version.</summary>
    public static RulePacks PacksOf(long creditorId, Domain.Arrangements.CreditorPolicy policy, int policyVersion) =>
        RulePacks.Default.Read(policy.PackReading, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"creditor{creditorId}.policy{policyVersion}"));

    /// <summary>The same question at another instant (history up to then still counts).</summary>
    public ContactQuestion At(Instant at) => this with { Request = Request with { At = at } };

    /// <summary>The same facts, another channel or contact point on file.</summary>
    public ContactQuestion Via(ContactChannel channel, string? destinationId) => this with { Request = Request with { Channel = channel, DestinationId = destinationId } };

    /// <summary>The same question for a contact the system makes on its own (a queued message, a dialler) rather than a person.</summary>
    public ContactQuestion Automated(bool automated = true) => this with { Request = Request with { Automated = automated } };

    /// <summary>
    /// Builds the question for a contact about one account. <paramref name="to"/> is a contact id or value on file
    /// (a phone in any format, an email); a destination not on file is checked as a new contact point of its kind.
    /// <paramref name="excludeInteractionId"/> leaves out the attempt being checked, when it is already recorded.
    /// </summary>
    public static async Task<ContactQuestion?> LoadAsync(
        DunwellDb db, long accountId, ContactChannel channel, string? to, ContactPurpose purpose, Instant at, long? excludeInteractionId,
        CancellationToken cancellationToken)
    {
        var account = await db.Accounts.AsNoTracking()
            .Where(a => a.Id == accountId)
            .Select(ContactRows.AccountProjection)
            .SingleOrDefaultAsync(cancellationToken);
        if (account is null)
        {
            return null;
        }

        var debtor = await db.Debtors.AsNoTracking().Include(d => d.Contacts).Include(d => d.Flags).Include(d => d.InconvenientTimes).AsSplitQuery()
            .SingleAsync(d => d.Id == account.DebtorId, cancellationToken);
        var disputes = await db.Disputes.AsNoTracking().Where(d => d.AccountId == accountId).Select(ContactRows.DisputeProjection).ToListAsync(cancellationToken);
        var balance = await AccountQueries.BalanceAsync(db, accountId, cancellationToken);
        var since = at - HistoryWindow;
        var history = await db.Interactions.AsNoTracking()
            .Where(i => i.DebtorId == account.DebtorId && i.OccurredAt >= since && i.OccurredAt < at && i.CorrectsInteractionId == null
                && i.Channel != InteractionChannel.Note && i.Channel != InteractionChannel.Portal
                && (excludeInteractionId == null || i.Id != excludeInteractionId))
            .Select(ContactRows.HistoryProjection)
            .ToListAsync(cancellationToken);
        var policy = await PolicyStore.CurrentAsync(db, account.CreditorId, cancellationToken);
        var earlier = await ContactRows.FirstCommunicationsAsync(db, [account], since, cancellationToken);

        var facts = new ContactRows.DebtorOnFile(ContactRows.DebtorRow.Of(debtor), debtor.Contacts, debtor.Flags, debtor.InconvenientTimes);
        return Build(account, facts, disputes, balance.Total, history, policy.Policy.ContactPolicy, channel, to, purpose, at,
                earlier.TryGetValue(account.Id, out var first) ? first : null)
            with
        { Packs = PacksOf(account.CreditorId, policy.Policy, policy.Version) };
    }

    /// <summary>
    /// The question from the rows read for one account: the one-account load above and the batched one
    /// (<see cref="ContactQuestions"/>) both come through here, so they ask the engine exactly the same thing.
    /// Contacts, flags, times, disputes and history are taken in id order whatever order they were read in.
    /// </summary>
    internal static ContactQuestion Build(
        ContactRows.AccountRow account, ContactRows.DebtorOnFile debtorOnFile, IEnumerable<ContactRows.DisputeRow> disputes, long balanceMinor,
        IEnumerable<ContactRows.HistoryRow> history, FirmPolicy? firm, ContactChannel channel, string? to, ContactPurpose purpose, Instant at,
        Instant? communicatedBefore = null)
    {
        var debtor = debtorOnFile.Debtor;
        var onFileContacts = debtorOnFile.Contacts.OrderBy(c => c.Id).ToList();
        var creditorZone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(account.CreditorZone) ?? DateTimeZone.Utc;
        Instant StartOf(LocalDate date) => date.AtStartOfDayInZone(creditorZone).ToInstant();
        var currency = Currency.Of(account.Currency);
        var contacts = onFileContacts.Select(Point).ToList();
        string? destination = null;
        var kind = KindFor(channel);
        if (to is not { Length: > 0 } && channel != ContactChannel.Letter)
        {
            // No destination named: the first one on file the debtor has not opted out of, else the first at all; with
            // none on file, an unknown one, so only the debtor-level rules and zones decide.
            var first = onFileContacts.Where(c => c.Kind == kind).OrderBy(c => c.Consent == ConsentState.OptedOut).ThenBy(c => c.Id).FirstOrDefault();
            destination = first?.Id.ToString(CultureInfo.InvariantCulture) ?? "unknown";
            if (first is null)
            {
                contacts.Add(new ContactPoint(destination, kind, ""));
            }
        }
        else if (to is { Length: > 0 })
        {
            var onFile = onFileContacts.FirstOrDefault(c => c.Kind == kind && c.Id.ToString(CultureInfo.InvariantCulture) == to)
                ?? (DebtorRules.TryNormalise(kind, to, debtor.Country, out var normalised, out _)
                    ? onFileContacts.FirstOrDefault(c => c.Kind == kind && c.Value == normalised)
                    : null);
            if (onFile is not null)
            {
                destination = onFile.Id.ToString(CultureInfo.InvariantCulture);
            }
            else
            {
                destination = "new";
                contacts.Add(new ContactPoint(destination, kind, DebtorRules.TryNormalise(kind, to, debtor.Country, out var value, out _) ? value : to.Trim()));
            }
        }

        var flags = debtorOnFile.Flags.OrderBy(f => f.Id).ToList();
        var facts = new DebtorFacts(debtor.Kind)
        {
            LocationTimeZone = debtor.LocationTimeZone,
            Address = new PostalAddress(debtor.Country, debtor.Region, debtor.PostalCode) { City = debtor.City, TimeZone = debtor.AddressTimeZone },
            Contacts = contacts,
            InconvenientTimes = [.. debtorOnFile.InconvenientTimes.OrderBy(t => t.Id).Select(t => new InconvenientTime(t.From, t.Until) { Days = Days(t.Days) }), .. PreferredHours(debtor)],
            Flags = [.. flags.Where(f => FlagKinds.Contains(f.Kind)).Select(f => new DomainFlag(f.Kind, StartOf(f.Since), f.Until is { } u ? StartOf(u.PlusDays(1)) : null))],
            BreathingSpaces = [.. flags.Where(f => IsBreathingSpace(f.Kind)).Select(f => BreathingSpaceOf(f.Kind, f.Since, f.Until))],
            // Opt-outs and consents run from the instant the customer gave them and to the instant they withdrew them, when said.
            MediumOptOuts = [.. flags.Where(f => OptOuts.ContainsKey(f.Kind))
                .Select(f => new MediumOptOut(OptOuts[f.Kind], f.At ?? StartOf(f.Since), f.EndedAt ?? (f.Until is { } u ? StartOf(u.PlusDays(1)) : null)))],
            // Consent not dated runs from when it was recorded, not from the start of its day: it cannot excuse a call made before it was given.
            Consents = [.. flags.Where(f => f.Kind is DebtorFlagKind.ConsentToCalls or DebtorFlagKind.ConsentToInconvenientTimes)
                .Select(f => new PriorConsent(f.Kind == DebtorFlagKind.ConsentToCalls ? ConsentScope.CallFrequency : ConsentScope.InconvenientTime,
                    f.At ?? Instant.Max(StartOf(f.Since), f.RecordedAt), f.EndedAt ?? (f.Until is { } u ? StartOf(u.PlusDays(1)) : null)))],
        };
        // The account is named by its reference, which the rules' messages quote; other accounts' contacts keep their ids.
        var accountFacts = new AccountFacts(account.Reference, account.Kind)
        {
            TimeBarred = account.LimitationDate is { } barredFrom && barredFrom <= at.InZone(creditorZone).Date,
            TimeBarredFrom = account.LimitationDate,
            ValidationNoticeSentAt = account.ValidationNoticeSentAt,
            ValidationPeriodEnd = account.ValidationPeriodEnd,
            Disputes = [.. disputes.OrderBy(d => d.Id).Select(d => new DomainDispute(d.ReceivedAt, d.Written)
            {
                Amount = d.AmountMinor is { } minor ? new Money(minor, currency) : null,
                VerifiedAt = d.VerifiedAt,
            })],
            Balance = new Money(balanceMinor, currency),
            FirstCommunicationAt = communicatedBefore,
        };
        var events = history
            .OrderBy(i => i.Id)
            .Select(i => ContactEvents.FromInteraction(i.Channel, i.Direction, i.Outcome, i.Conversation || ImpliesConversation(i.Outcome), i.OccurredAt,
                [.. InteractionAccounts.All(i.AccountId, i.AlsoAbout).Select(a => a == account.Id ? account.Reference : string.Create(CultureInfo.InvariantCulture, $"id:{a}"))],
                i.ContactId?.ToString(CultureInfo.InvariantCulture)))
            .OfType<ContactEvent>()
            .ToList();
        var request = new ContactRequest(at, channel, destination, purpose, facts, [accountFacts], events) { CreditorTimeZone = account.CreditorZone };
        return new ContactQuestion(request, PackFor(account.JurisdictionPack, account.Kind, debtor.Country), firm);
    }

    /// <summary>
    /// A consumer debt is collected under the consumer law of the debtor's country where Dunwell has its pack (US, GB),
    /// whatever the creditor's first account made its jurisdiction; otherwise the creditor's pack decides.
    /// </summary>
    public static string PackFor(string creditorPack, AccountKind kind, string debtorCountry) => (kind, debtorCountry) switch
    {
        (AccountKind.Consumer, "US") => RulePacks.UsFdcpaId,
        (AccountKind.Consumer, "GB") => RulePacks.UkFcaId,
        _ => creditorPack,
    };

    /// <summary>
    /// Why a consumer debt of a debtor in <paramref name="country"/> cannot be taken on, or null when it can: consumer
    /// collection law decides every contact, and without a pack for the debtor's country nothing could be decided honestly.
    /// Import, the accounts API and a debtor's change of country all ask this.
    /// </summary>
    public static string? NoConsumerPack(string? country) => country is null or "US" or "GB"
        ? null
        : $"There is no rule pack for consumer debts in {country}: Dunwell collects consumer debts from debtors in US (Regulation F) and GB (FCA CONC) only.";

    public static bool IsBreathingSpace(DebtorFlagKind kind) => kind is DebtorFlagKind.BreathingSpace or DebtorFlagKind.MentalHealthCrisisBreathingSpace;

    /// <summary>
    /// A breathing-space flag as the rules read it, here and in the charge sheet: its until is the last protected day as
    /// notified. Without one a standard space runs its 60 days and a mental health crisis space runs until one is recorded.
    /// </summary>
    public static BreathingSpace BreathingSpaceOf(DebtorFlagKind kind, LocalDate since, LocalDate? until) =>
        new(since, until, kind == DebtorFlagKind.MentalHealthCrisisBreathingSpace ? BreathingSpaceKind.MentalHealthCrisis : BreathingSpaceKind.Standard);

    private static readonly HashSet<DebtorFlagKind> FlagKinds =
    [
        DebtorFlagKind.CeaseCommunication, DebtorFlagKind.RepresentedByAttorney, DebtorFlagKind.Bankruptcy, DebtorFlagKind.Deceased, DebtorFlagKind.Vulnerable,
    ];

    private static readonly Dictionary<DebtorFlagKind, ContactChannel> OptOuts = new()
    {
        [DebtorFlagKind.OptOutCalls] = ContactChannel.Call,
        [DebtorFlagKind.OptOutSms] = ContactChannel.Sms,
        [DebtorFlagKind.OptOutEmail] = ContactChannel.Email,
        [DebtorFlagKind.OptOutLetters] = ContactChannel.Letter,
    };

    private static ContactPoint Point(DebtorContact c) => new(c.Id.ToString(CultureInfo.InvariantCulture), c.Kind, c.Value)
    {
        TimeZone = c.TimeZone,
        OptedOutAt = c.Consent == ConsentState.OptedOut ? c.ConsentChangedAt ?? c.CreatedAt : null,
        Consent = c.Consent == ConsentState.Granted ? new ContactConsent(c.ConsentChangedAt ?? c.CreatedAt, c.ConsentExpiresAt) : null,
        Workplace = c.Workplace,
        EmployerProhibits = c.EmployerProhibits,
        InconvenientPlace = c.InconvenientPlace,
    };

    /// <summary>Hours the debtor asked to be contacted in: the rest of the day is, by their own word, inconvenient.</summary>
    private static IEnumerable<InconvenientTime> PreferredHours(ContactRows.DebtorRow debtor) =>
        debtor is { ContactFrom: { } from, ContactUntil: { } until } && from != until ? [new InconvenientTime(until, from)] : [];

    private static HashSet<IsoDayOfWeek> Days(string? days) =>
        days is null ? [] : [.. days.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(DayOf)];

    public static IsoDayOfWeek DayOf(string day) => day.ToLowerInvariant() switch
    {
        "mon" => IsoDayOfWeek.Monday,
        "tue" => IsoDayOfWeek.Tuesday,
        "wed" => IsoDayOfWeek.Wednesday,
        "thu" => IsoDayOfWeek.Thursday,
        "fri" => IsoDayOfWeek.Friday,
        "sat" => IsoDayOfWeek.Saturday,
        "sun" => IsoDayOfWeek.Sunday,
        _ => throw new FormatException($"'{day}' is not a day (mon, tue, wed, thu, fri, sat, sun)."),
    };

    /// <summary>The kind of contact point a channel goes to.</summary>
    public static ContactKind KindFor(ContactChannel channel) => channel switch
    {
        ContactChannel.Call or ContactChannel.Sms => ContactKind.Phone,
        ContactChannel.Email => ContactKind.Email,
        _ => ContactKind.Address,
    };

    public static ContactChannel? ChannelOf(InteractionChannel channel) => channel switch
    {
        InteractionChannel.Call => ContactChannel.Call,
        InteractionChannel.Sms => ContactChannel.Sms,
        InteractionChannel.Email => ContactChannel.Email,
        InteractionChannel.Letter => ContactChannel.Letter,
        _ => null,
    };

    /// <summary>An outcome only a conversation can have counts as one even when the conversation box was left unticked.</summary>
    private static bool ImpliesConversation(OutcomeCode outcome) => ContactRows.ConversationOutcomes.Contains(outcome);
}
