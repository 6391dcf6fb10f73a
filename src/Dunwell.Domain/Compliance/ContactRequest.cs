using Dunwell.Domain.Accounts;
using Dunwell.Domain.Amounts;
using NodaTime;

namespace Dunwell.Domain.Compliance;

/// <summary>How a contact is made. Letters are posted, so no time-of-day rule applies to them.</summary>
public enum ContactChannel
{
    Call,
    Sms,
    Email,
    Letter,
}

/// <summary>
/// Why the contact is made. Some holds (cease, dispute, breathing space) still allow a few purposes,
/// so the engine must know whether a message asks for money or only answers, confirms or informs.
/// </summary>
public enum ContactPurpose
{
    /// <summary>Any contact to collect: a call, a reminder, a payment request, an offer.</summary>
    Collection,

    /// <summary>The recap of what was agreed on a call. Still collection activity.</summary>
    ConversationRecap,

    /// <summary>The Regulation F validation notice (12 CFR 1006.34).</summary>
    ValidationNotice,

    /// <summary>Verification of a disputed debt, a copy of a judgment, or a duplicate-dispute notice (12 CFR 1006.38(d)(2)).</summary>
    DisputeVerification,

    /// <summary>A reply to the consumer's own question, request or complaint, with no demand for payment.</summary>
    ResponseToConsumerRequest,

    /// <summary>The confirmation of an opt-out, containing nothing else (12 CFR 1006.14(h)(2)(i)).</summary>
    OptOutConfirmation,

    /// <summary>A notice another law requires to be sent through this medium (for example a Consumer Credit Act notice).</summary>
    RequiredByLaw,

    /// <summary>After a cease request: that collection efforts are ending (12 CFR 1006.6(c)(2)(i)).</summary>
    CeaseTerminationNotice,

    /// <summary>After a cease request: that remedies ordinarily invoked may be invoked (12 CFR 1006.6(c)(2)(ii)).</summary>
    CeaseRemedyNotice,

    /// <summary>After a cease request: that a specified remedy will be invoked (12 CFR 1006.6(c)(2)(iii)).</summary>
    CeaseIntendedRemedyNotice,

    /// <summary>A notice about suit, court or other legal action.</summary>
    LegalActionNotice,
}

/// <summary>What happened on a recorded contact: enough to tell placed calls, conversations and deliveries apart.</summary>
public enum ContactResult
{
    /// <summary>The call rang (connected to the number) and nobody answered.</summary>
    Attempted,

    /// <summary>Busy tone, "not in service", dial failure: the call never reached the number (12 CFR 1006.14(b)(3)(ii)).</summary>
    NotConnected,

    /// <summary>The call reached voicemail or a recording, whether or not a limited-content message was left.</summary>
    Voicemail,

    /// <summary>A conversation with the consumer took place, on a call placed by either side.</summary>
    Conversation,

    /// <summary>A message or letter was sent.</summary>
    Sent,

    /// <summary>A message or letter came back undeliverable.</summary>
    Undeliverable,

    /// <summary>The consumer's message or letter arrived.</summary>
    Received,
}

/// <summary>
/// One question to the engine: may this contact be made at this instant? Everything the rules need is here, so the
/// decision is a pure function of the request, the rule pack and the firm policy.
/// </summary>
/// <param name="At">The instant of the contact (for a message, when it is sent).</param>
/// <param name="Channel">How.</param>
/// <param name="DestinationId">The <see cref="ContactPoint.Id"/> dialled or written to; a letter without one goes to the postal address.</param>
/// <param name="Purpose">Why.</param>
/// <param name="Debtor">Who, with their contacts, flags, consents and requests.</param>
/// <param name="Accounts">The debts the contact is about (at least one).</param>
/// <param name="History">Every recorded attempt and conversation with this debtor. Only events before <paramref name="At"/> count; leave out the contact being checked.</param>
public sealed record ContactRequest(
    Instant At,
    ContactChannel Channel,
    string? DestinationId,
    ContactPurpose Purpose,
    DebtorFacts Debtor,
    IReadOnlyList<AccountFacts> Accounts,
    IReadOnlyList<ContactEvent> History)
{
    /// <summary>Placed by the system rather than by a person: an autodialler, a prerecorded or artificial voice, or a text sent by a strategy.</summary>
    public bool Automated { get; init; }

    /// <summary>The content mentions or implies suit, court or other legal action (the message linter sets it).</summary>
    public bool MentionsLegalAction { get; init; }

    /// <summary>
    /// When the consumer contacted the collector through this same medium and this contact answers it. Allows one
    /// reply at a time the consumer had called inconvenient, or through a medium they had opted out of.
    /// </summary>
    public Instant? InResponseTo { get; init; }

    /// <summary>IANA zone of the creditor's calendar: used for a commercial customer whose zone is unknown.</summary>
    public string? CreditorTimeZone { get; init; }
}

/// <summary>The debtor and everything they have told the collector about how to reach them.</summary>
public sealed record DebtorFacts(DebtorKind Kind)
{
    /// <summary>IANA zone of where the debtor has said they are now. When known, it is the only zone the time rules use.</summary>
    public string? LocationTimeZone { get; init; }

    public PostalAddress? Address { get; init; }

    public IReadOnlyList<ContactPoint> Contacts { get; init; } = [];

    /// <summary>Times the debtor has said are inconvenient ("not before noon", "not on Saturdays").</summary>
    public IReadOnlyList<InconvenientTime> InconvenientTimes { get; init; } = [];

    public IReadOnlyList<DebtorFlag> Flags { get; init; } = [];

    public IReadOnlyList<BreathingSpace> BreathingSpaces { get; init; } = [];

    /// <summary>Media the debtor asked not to be used at all ("don't call me", "no emails").</summary>
    public IReadOnlyList<MediumOptOut> MediumOptOuts { get; init; } = [];

    /// <summary>Prior consent given directly to the collector, for a time or for extra calls.</summary>
    public IReadOnlyList<PriorConsent> Consents { get; init; } = [];
}

/// <summary>The postal address as far as the time rules need it: country (ISO 3166-1 alpha-2), region (a US state code), postal code.</summary>
public sealed record PostalAddress(string Country, string? Region = null, string? PostalCode = null)
{
    /// <summary>
    /// IANA zone of the address when the creditor stated it (a placement file's <c>time_zone</c>). It is the address's
    /// zone; only without it do the country and region decide.
    /// </summary>
    public string? TimeZone { get; init; }

    /// <summary>The town, which Dunwell cannot place in a zone, but which makes the address more than a country.</summary>
    public string? City { get; init; }

    /// <summary>Only a country: no stated zone, region, postal code or city.</summary>
    public bool IsCountryAlone =>
        TimeZone is null && string.IsNullOrWhiteSpace(Region) && string.IsNullOrWhiteSpace(PostalCode) && string.IsNullOrWhiteSpace(City);
}

/// <summary>A phone number (E.164), an email address or a postal address of the debtor.</summary>
public sealed record ContactPoint(string Id, ContactKind Kind, string Value)
{
    /// <summary>IANA zone given for this phone or address. A phone without one is mapped from its number.</summary>
    public string? TimeZone { get; init; }

    /// <summary>When the debtor opted out of contact at this number or address.</summary>
    public Instant? OptedOutAt { get; init; }

    /// <summary>The debtor's consent, given directly to the collector, to be contacted at this number or address.</summary>
    public ContactConsent? Consent { get; init; }

    /// <summary>A workplace phone, or an email address the debtor's employer provides.</summary>
    public bool Workplace { get; init; }

    /// <summary>The collector knows or has reason to know that the employer prohibits such contact.</summary>
    public bool EmployerProhibits { get; init; }

    /// <summary>The debtor said this is an inconvenient place to be reached (a hospital ward, "not at work").</summary>
    public bool InconvenientPlace { get; init; }
}

/// <summary>Consent to use a contact point, from when it was given until it expires or is withdrawn.</summary>
public sealed record ContactConsent(Instant GivenAt, Instant? Expires = null)
{
    public bool CoversInstant(Instant at) => GivenAt <= at && (Expires is null || at < Expires);
}

/// <summary>
/// A local time range the debtor called inconvenient, in their local time. <see cref="Until"/> is excluded, so
/// "12:00 to 14:00" allows 14:00. A range whose end is before its start runs past midnight; one whose end equals its
/// start lasts 24 hours, so 00:00 to 00:00 is the whole day (what "00:00 to 24:00" says).
/// </summary>
public sealed record InconvenientTime(LocalTime From, LocalTime Until)
{
    /// <summary>Days it applies to, as the days the range starts on; empty for every day.</summary>
    public IReadOnlySet<IsoDayOfWeek> Days { get; init; } = new HashSet<IsoDayOfWeek>();

    /// <summary>Midnight to midnight: every hour of each of its days.</summary>
    public bool IsWholeDay => From == LocalTime.Midnight && Until == LocalTime.Midnight;

    /// <summary>Runs past midnight into the next day (a whole day does not: it ends at the midnight that closes it).</summary>
    public bool PastMidnight => From > Until || (From == Until && !IsWholeDay);
}

/// <summary>
/// A flag on the debtor in force from <see cref="Since"/> until <see cref="Until"/> (excluded; null while in force).
/// For an attorney, set <see cref="Until"/> when the attorney consents to direct contact or fails to respond.
/// </summary>
public sealed record DebtorFlag(DebtorFlagKind Kind, Instant Since, Instant? Until = null)
{
    /// <summary>The accounts it concerns; null for all of the debtor's accounts.</summary>
    public IReadOnlyList<string>? Accounts { get; init; }

    public bool InForceAt(Instant at) => Since <= at && (Until is null || at < Until);
}

public enum BreathingSpaceKind
{
    /// <summary>Up to 60 days.</summary>
    Standard,

    /// <summary>For the length of mental-health crisis treatment plus 30 days; the end is notified.</summary>
    MentalHealthCrisis,
}

/// <summary>
/// A UK Debt Respite Scheme moratorium (SI 2020/1311). <see cref="Start"/> is the day after the register entry
/// (reg. 26(1)); <see cref="End"/> is the last protected day as notified, or computed for a standard one.
/// </summary>
public sealed record BreathingSpace(LocalDate Start, LocalDate? End = null, BreathingSpaceKind Kind = BreathingSpaceKind.Standard)
{
    /// <summary>The accounts it covers; null for all of the debtor's accounts.</summary>
    public IReadOnlyList<string>? Accounts { get; init; }

    /// <summary>Set when the moratorium was cancelled early: the first day no longer protected.</summary>
    public LocalDate? CancelledFrom { get; init; }
}

/// <summary>The debtor asked that a medium not be used (12 CFR 1006.14(h)); in force from <see cref="At"/> until withdrawn.</summary>
public sealed record MediumOptOut(ContactChannel Medium, Instant At, Instant? WithdrawnAt = null)
{
    public bool InForceAt(Instant at) => At <= at && (WithdrawnAt is null || at < WithdrawnAt);
}

public enum ConsentScope
{
    /// <summary>Consent to be contacted at a time that would otherwise be inconvenient (12 CFR 1006.6(b)(4)(i)).</summary>
    InconvenientTime,

    /// <summary>Consent to calls about a debt, which then do not count toward the call frequencies (12 CFR 1006.14(b)(3)(i)).</summary>
    CallFrequency,
}

/// <summary>
/// Prior consent given directly to the collector, in a contact that itself broke no rule. It applies from
/// <see cref="From"/> until <see cref="Until"/> (excluded): the end of a shorter period the debtor gave, or a withdrawal.
/// </summary>
public sealed record PriorConsent(ConsentScope Scope, Instant From, Instant? Until = null)
{
    /// <summary>The accounts it concerns; null for all.</summary>
    public IReadOnlyList<string>? Accounts { get; init; }
}

/// <summary>The facts about one debt that the rules need.</summary>
public sealed record AccountFacts(string Id, AccountKind Kind)
{
    /// <summary>The limitation period is known to have expired.</summary>
    public bool TimeBarred { get; init; }

    /// <summary>The first day on which suit can no longer be brought, when known.</summary>
    public LocalDate? TimeBarredFrom { get; init; }

    /// <summary>When the validation notice (12 CFR 1006.34) was effectively provided: not counting one that bounced.</summary>
    public Instant? ValidationNoticeSentAt { get; init; }

    /// <summary>The validation period end date printed on the notice. When missing it is computed from <see cref="ValidationNoticeSentAt"/>.</summary>
    public LocalDate? ValidationPeriodEnd { get; init; }

    public IReadOnlyList<Dispute> Disputes { get; init; } = [];

    /// <summary>What is owed now, to tell a dispute of part of the debt from a dispute of all of it.</summary>
    public Money? Balance { get; init; }

    /// <summary>
    /// The first communication about this debt on record when it is older than the contact history given (which need
    /// only reach back as far as the frequency rules look): the validation notice is due from it.
    /// </summary>
    public Instant? FirstCommunicationAt { get; init; }
}

/// <summary>
/// A dispute of the debt or of part of it. <see cref="VerifiedAt"/> is when verification (US) or the outcome of the
/// investigation (UK) was sent to the debtor; null while it is still awaited.
/// </summary>
public sealed record Dispute(Instant ReceivedAt, bool Written)
{
    /// <summary>The disputed amount; null when the whole debt is disputed.</summary>
    public Money? Amount { get; init; }

    public Instant? VerifiedAt { get; init; }

    public bool OpenAt(Instant at) => ReceivedAt <= at && (VerifiedAt is null || at < VerifiedAt);
}

/// <summary>One recorded contact with the debtor: a call either way, a message, a letter.</summary>
public sealed record ContactEvent(Instant At, ContactChannel Channel, InteractionDirection Direction, ContactResult Result)
{
    /// <summary>The debts it was about; empty when not recorded, which counts it toward every debt.</summary>
    public IReadOnlyList<string> Accounts { get; init; } = [];

    /// <summary>The contact point used, when known.</summary>
    public string? ContactId { get; init; }

    public bool IsAbout(string accountId) => Accounts.Count == 0 || Accounts.Contains(accountId, StringComparer.Ordinal);
}
