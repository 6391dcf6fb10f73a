using System.Diagnostics.CodeAnalysis;
using Dunwell.Domain.Accounts;
using Dunwell.Domain.Ledger;
using Microsoft.AspNetCore.Identity;
using NodaTime;

namespace Dunwell.Data;

/// <summary>Rows that are never updated or deleted once written: the application and the database both refuse.</summary>
public interface IAppendOnly;

/// <summary>Whose money it is. The policy (rule pack, escalations, fees, authority) hangs off the creditor.</summary>
public sealed class Creditor
{
    public long Id { get; set; }

    /// <summary>The creditor's own reference as it appears in placement files (<c>creditor_ref</c>).</summary>
    [NotFreeText("A key that later files and calls match; masking could merge two.")]
    public required string Reference { get; set; }

    [FreeText]
    public required string Name { get; set; }

    /// <summary>The compliance rule pack that governs contact: US-FDCPA, UK-FCA or B2B.</summary>
    [NotFreeText("A code from a fixed list, checked where it enters.")]
    public required string JurisdictionPack { get; set; }

    /// <summary>Where the creditor's "today" is, for days past due and the daily cycle.</summary>
    [NotFreeText("An IANA zone, checked where it enters.")]
    public required string TimeZone { get; set; }

    /// <summary>Policy as JSON (enabled escalations, fee rules, authority limits, offer rules); filled in by later features.</summary>
    [NotFreeText("Policy settings as JSON, numbers and codes checked by the policy editor.")]
    public string? PolicyJson { get; set; }

    /// <summary>How customers know the creditor, when it differs from <see cref="Name"/> (a trading name), for messages and pages.</summary>
    [FreeText]
    public string? DisplayName { get; set; }

    /// <summary>Where customers reach the creditor: printed on statements and messages.</summary>
    [FreeText]
    public string? ContactEmail { get; set; }

    /// <summary>E.164.</summary>
    [NotFreeText("E.164, checked where it enters.")]
    public string? ContactPhone { get; set; }

    /// <summary>Postal address, lines separated by newlines.</summary>
    [FreeText]
    public string? PostalAddress { get; set; }

    [FreeText]
    public string? Website { get; set; }

    /// <summary>The From name and address of the creditor's emails.</summary>
    [FreeText]
    public string? SenderName { get; set; }

    [FreeText]
    public string? SenderEmail { get; set; }

    /// <summary>The sender id or number its text messages come from.</summary>
    [FreeText]
    public string? SmsSender { get; set; }

    /// <summary>Accent colour of its pages and letters, #rrggbb.</summary>
    [NotFreeText("A #rrggbb colour, checked where it enters.")]
    public string? AccentColour { get; set; }

    public Instant CreatedAt { get; set; }

    public Instant UpdatedAt { get; set; }
}

/// <summary>A person or a company who owes money on one or more accounts.</summary>
public sealed class Debtor
{
    public long Id { get; set; }

    /// <summary>
    /// The creditor whose customer this is. Debtor references are the creditor's own, so two creditors' "C-1001" are two
    /// debtors, and one creditor's files can never change another creditor's customer.
    /// </summary>
    public long CreditorId { get; set; }

    public Creditor Creditor { get; set; } = null!;

    /// <summary>The creditor's debtor reference (<c>debtor_ref</c>): that creditor's placement rows with the same one are the same debtor.</summary>
    [NotFreeText("A key that later files and calls match; masking could merge two.")]
    public required string Reference { get; set; }

    public DebtorKind Kind { get; set; }

    [FreeText]
    public required string Name { get; set; }

    /// <summary>Lower-cased name kept for prefix search.</summary>
    [FreeText]
    public required string SearchName { get; set; }

    [FreeText]
    public string? AddressLine1 { get; set; }

    [FreeText]
    public string? AddressLine2 { get; set; }

    [FreeText]
    public string? City { get; set; }

    [FreeText]
    public string? Region { get; set; }

    [FreeText]
    public string? PostalCode { get; set; }

    /// <summary>ISO 3166-1 alpha-2.</summary>
    [NotFreeText("A code from a fixed list, checked where it enters.")]
    public required string Country { get; set; }

    /// <summary>IANA zone given in the placement, or inferred from the phone number or country.</summary>
    [NotFreeText("An IANA zone, checked where it enters.")]
    public string? TimeZone { get; set; }

    /// <summary>
    /// The zone the creditor stated for the postal address (the placement's <c>time_zone</c>, the API's <c>timeZone</c>);
    /// null when it was inferred. The contact rules take it as the address's zone, never an inferred one.
    /// </summary>
    [NotFreeText("An IANA zone, checked where it enters.")]
    public string? AddressTimeZone { get; set; }

    /// <summary>BCP 47 language tag for messages.</summary>
    [NotFreeText("A BCP 47 tag, checked where it enters.")]
    public string? Language { get; set; }

    public InteractionChannel? PreferredChannel { get; set; }

    /// <summary>Local hours the debtor prefers to be contacted in (inside whatever the rule pack allows).</summary>
    public LocalTime? ContactFrom { get; set; }

    public LocalTime? ContactUntil { get; set; }

    [FreeText]
    public string? ToneNotes { get; set; }

    public Instant CreatedAt { get; set; }

    public Instant UpdatedAt { get; set; }

    public List<DebtorContact> Contacts { get; set; } = [];

    public List<DebtorFlag> Flags { get; set; } = [];

    /// <summary>Where the debtor has said they are now (IANA zone). When set, it is the only zone the time rules use.</summary>
    [NotFreeText("An IANA zone, checked where it enters.")]
    public string? LocationTimeZone { get; set; }

    /// <summary>Times the debtor has said are inconvenient; contact then is refused under Regulation F.</summary>
    public List<DebtorInconvenientTime> InconvenientTimes { get; set; } = [];
}

/// <summary>A phone, email or postal address of a debtor, each with its own consent state.</summary>
public sealed class DebtorContact
{
    public long Id { get; set; }

    public long DebtorId { get; set; }

    public ContactKind Kind { get; set; }

    /// <summary>E.164 for phones, lower-case for emails, one line for addresses.</summary>
    [FreeText]
    public required string Value { get; set; }

    /// <summary>primary, secondary, work…</summary>
    [FreeText]
    public string? Label { get; set; }

    /// <summary>IANA zone of a phone or address, given or inferred from the number.</summary>
    [NotFreeText("An IANA zone, checked where it enters.")]
    public string? TimeZone { get; set; }

    public ConsentState Consent { get; set; }

    public Instant? ConsentChangedAt { get; set; }

    /// <summary>When a granted consent ends, if the debtor gave it for a time.</summary>
    public Instant? ConsentExpiresAt { get; set; }

    /// <summary>A workplace phone, or an email address the debtor's employer provides.</summary>
    public bool Workplace { get; set; }

    /// <summary>The collector knows or has reason to know the employer prohibits collection contact here.</summary>
    public bool EmployerProhibits { get; set; }

    /// <summary>The debtor said this is an inconvenient place to be reached.</summary>
    public bool InconvenientPlace { get; set; }

    /// <summary>
    /// Since when messages to it do not arrive (an email bounced, an SMS was reported undeliverable), and what was said;
    /// null while it works. The rules can tell a notice sent here was not delivered; the sender tries it last.
    /// </summary>
    public Instant? UndeliverableSince { get; set; }

    [FreeText]
    public string? UndeliverableReason { get; set; }

    public Instant CreatedAt { get; set; }
}

/// <summary>A local time range the debtor called inconvenient ("not before noon", "not on Saturdays"); <c>Until</c> is excluded.</summary>
public sealed class DebtorInconvenientTime
{
    public long Id { get; set; }

    public long DebtorId { get; set; }

    public LocalTime From { get; set; }

    public LocalTime Until { get; set; }

    /// <summary>ISO days it applies to, comma-separated (mon,sat); null for every day.</summary>
    [NotFreeText("A code from a fixed list, checked where it enters.")]
    public string? Days { get; set; }
}

/// <summary>A flag on a debtor (cease, attorney, bankruptcy, deceased, vulnerable, breathing space) with its dates.</summary>
public sealed class DebtorFlag
{
    public long Id { get; set; }

    public long DebtorId { get; set; }

    public DebtorFlagKind Kind { get; set; }

    public LocalDate Since { get; set; }

    /// <summary>Null while the flag is in force with no end date.</summary>
    public LocalDate? Until { get; set; }

    [FreeText]
    public string? Note { get; set; }

    [NotFreeText("Who did it: a user name or API key name.")]
    public required string RecordedBy { get; set; }

    public Instant RecordedAt { get; set; }

    /// <summary>
    /// When the debtor gave the consent or opt-out, when the caller said (consent given on yesterday's call, a creditor's
    /// history): the rules count from it. Null when not said: the start of <see cref="Since"/>, and for a consent no
    /// earlier than it was recorded.
    /// </summary>
    public Instant? At { get; set; }

    /// <summary>When the debtor withdrew it, when the caller said; null when not said: the end of <see cref="Until"/>.</summary>
    public Instant? EndedAt { get; set; }
}

/// <summary>A debt or a B2B invoice. Its balance is never stored: it is the sum of its ledger.</summary>
public sealed class Account
{
    public long Id { get; set; }

    /// <summary>The creditor's account reference (<c>account_ref</c>), unique across the portfolio.</summary>
    [NotFreeText("A key that later files and calls match; masking could merge two.")]
    public required string Reference { get; set; }

    public long CreditorId { get; set; }

    public Creditor Creditor { get; set; } = null!;

    public long DebtorId { get; set; }

    public Debtor Debtor { get; set; } = null!;

    public AccountKind Kind { get; set; }

    /// <summary>ISO 4217 code; every ledger entry of the account is in it.</summary>
    [NotFreeText("A code from a fixed list, checked where it enters.")]
    public required string Currency { get; set; }

    public LocalDate DueDate { get; set; }

    /// <summary>The Regulation F itemization date, when the creditor gave one.</summary>
    public LocalDate? ItemizationDate { get; set; }

    [FreeText]
    public string? OriginalCreditor { get; set; }

    public LocalDate? LastPaymentDate { get; set; }

    /// <summary>The first day suit can no longer be brought (the debt is time-barred from then), when known.</summary>
    public LocalDate? LimitationDate { get; set; }

    /// <summary>When the validation notice (12 CFR 1006.34) was sent; the validation period runs from it.</summary>
    public Instant? ValidationNoticeSentAt { get; set; }

    /// <summary>The validation period end date printed on the notice, when it differs from the computed one.</summary>
    public LocalDate? ValidationPeriodEnd { get; set; }

    public AccountStatus Status { get; set; }

    [NotFreeText("Who did it: a user name or API key name.")]
    public string? AssignedAgent { get; set; }

    [NotFreeText("A code from a fixed list, checked where it enters.")]
    public string? StrategyStep { get; set; }

    /// <summary>
    /// Written by the placement import: a hash of the row last applied to this account and of the state it left, so a
    /// re-sent unchanged row is recognised without checking it again (Features/Imports/PlacementHash.cs).
    /// </summary>
    [SuppressMessage("Performance", "CA1819:Properties should not return arrays", Justification = "A binary column; EF Core maps byte[].")]
    public byte[]? PlacementHash { get; set; }

    public Instant CreatedAt { get; set; }

    public Instant UpdatedAt { get; set; }
}

/// <summary>One movement on an account's balance, split by component. Append-only.</summary>
public sealed class LedgerEntry : IAppendOnly
{
    public long Id { get; init; }

    public long AccountId { get; init; }

    public LedgerEntryKind Kind { get; init; }

    /// <summary>Signed minor units: positive increases what is owed, negative reduces it.</summary>
    public long Principal { get; init; }

    public long Interest { get; init; }

    public long Fees { get; init; }

    [NotFreeText("A code from a fixed list, checked where it enters.")]
    public required string Currency { get; init; }

    /// <summary>The date the movement takes effect (payment date, charge date).</summary>
    public LocalDate ValueDate { get; init; }

    public Instant PostedAt { get; init; }

    [NotFreeText("Who did it: a user name or API key name.")]
    public required string PostedBy { get; init; }

    /// <summary>Makes a posting happen at most once: a payment file's reference, a placement's opening charge.</summary>
    [FreeText]
    public string? IdempotencyKey { get; init; }

    /// <summary>Payment method (card, bank transfer, cheque…) for payments.</summary>
    [NotFreeText("A code from a fixed list, checked where it enters.")]
    public string? Method { get; init; }

    /// <summary>External reference as given (payment reference, invoice number).</summary>
    [FreeText]
    public string? Reference { get; init; }

    /// <summary>The entry this one reverses or corrects; an entry can be reversed at most once.</summary>
    public long? ReversesEntryId { get; init; }

    [FreeText]
    public string? Note { get; init; }

    public Components Amount => new(Principal, Interest, Fees);
}

/// <summary>A call, message, letter, portal action or note. Append-only; a correction is a new row naming the one it corrects.</summary>
public sealed class Interaction : IAppendOnly
{
    public long Id { get; init; }

    public long AccountId { get; init; }

    public long DebtorId { get; init; }

    public InteractionChannel Channel { get; init; }

    public InteractionDirection Direction { get; init; }

    public Instant OccurredAt { get; init; }

    public Instant RecordedAt { get; init; }

    [NotFreeText("Who did it: a user name or API key name.")]
    public required string Author { get; init; }

    public OutcomeCode Outcome { get; init; }

    /// <summary>Whether a conversation with the debtor (or their representative) took place.</summary>
    public bool Conversation { get; init; }

    [FreeText]
    public string? Notes { get; init; }

    public long? CorrectsInteractionId { get; init; }

    /// <summary>The debtor contact (phone, email, address) used, when known.</summary>
    public long? ContactId { get; init; }

    /// <summary>
    /// Set when an outbound attempt was made while the compliance engine did not allow it: the rules it broke, in words.
    /// The record is kept whole (records must be complete); a supervisor reviews it.
    /// </summary>
    [FreeText]
    public string? ComplianceException { get; init; }

    /// <summary>
    /// The debtor's other accounts the interaction was also about (a call that discussed several debts), as account ids
    /// in ascending order separated by commas; null when it was about <see cref="AccountId"/> alone. It counts for each
    /// in the contact rules and shows on each timeline; it is chained with this row on <see cref="AccountId"/>'s chain.
    /// </summary>
    [NotFreeText("Account ids written by Dunwell.")]
    public string? AlsoAbout { get; init; }
}

/// <summary>
/// A dispute of an account or of part of it: when and how it was received, and when verification (US) or the outcome
/// of the investigation (UK) was sent. Collection of the disputed amount waits for that, and no fee or interest accrues.
/// </summary>
public sealed class Dispute
{
    public long Id { get; set; }

    public long AccountId { get; set; }

    public Instant ReceivedAt { get; set; }

    /// <summary>Received in writing (a letter, an email, the portal) rather than orally.</summary>
    public bool Written { get; set; }

    /// <summary>The disputed amount in the account's currency; null when the whole debt is disputed.</summary>
    public long? AmountMinor { get; set; }

    [FreeText]
    public string? Note { get; set; }

    public Instant? VerifiedAt { get; set; }

    [NotFreeText("Who did it: a user name or API key name.")]
    public string? VerifiedBy { get; set; }

    [NotFreeText("Who did it: a user name or API key name.")]
    public required string RecordedBy { get; set; }

    public Instant RecordedAt { get; set; }
}

/// <summary>A signed-in person: agent, supervisor, admin or auditor (roles through ASP.NET Core Identity).</summary>
public sealed class DunwellUser : IdentityUser
{
    [FreeText]
    public string? DisplayName { get; set; }

    /// <summary>Acts for every creditor, present and future; otherwise only for those in <see cref="Creditors"/>.</summary>
    public bool AllCreditors { get; set; }

    public List<UserCreditor> Creditors { get; set; } = [];
}

/// <summary>A creditor a user acts for.</summary>
public sealed class UserCreditor
{
    [NotFreeText("The user's id, made by Identity.")]
    public required string UserId { get; set; }

    public long CreditorId { get; set; }
}

/// <summary>An integrator's key. Only a SHA-256 hash of the secret is stored; the prefix finds the row.</summary>
public sealed class ApiKey
{
    public long Id { get; set; }

    [FreeText]
    public required string Name { get; set; }

    [NotFreeText("A code from a fixed list, checked where it enters.")]
    public required string Role { get; set; }

    /// <summary>The public part of the key (before the dot), unique.</summary>
    [NotFreeText("Random characters made by Dunwell.")]
    public required string Prefix { get; set; }

    /// <summary>Lower-case hex SHA-256 of the whole key.</summary>
    [NotFreeText("A SHA-256 hash.")]
    public required string SecretHash { get; set; }

    public Instant CreatedAt { get; set; }

    public Instant? RevokedAt { get; set; }

    /// <summary>Acts for every creditor, present and future; otherwise only for those in <see cref="Creditors"/>.</summary>
    public bool AllCreditors { get; set; }

    public List<ApiKeyCreditor> Creditors { get; set; } = [];
}

/// <summary>A creditor an API key acts for.</summary>
public sealed class ApiKeyCreditor
{
    public long ApiKeyId { get; set; }

    public long CreditorId { get; set; }
}

/// <summary>Who did or saw what, when: every read of personal data and every administrative act. Append-only.</summary>
public sealed class AuditEvent : IAppendOnly
{
    public long Id { get; init; }

    public Instant At { get; init; }

    /// <summary>user:alice@example.com, apikey:crm-sync, system.</summary>
    [NotFreeText("Who did it: a user name or API key name.")]
    public required string Actor { get; init; }

    /// <summary>debtor.read, account.read, payment.create, import.placements…</summary>
    [NotFreeText("A code from a fixed list, checked where it enters.")]
    public required string Action { get; init; }

    /// <summary>debtor:42, account:17…</summary>
    [NotFreeText("A record's kind and id, like account:17.")]
    public required string Subject { get; init; }

    [FreeText]
    public string? Detail { get; init; }

    /// <summary>Set when the event came through the SQLite audit spool: moving it twice finds it and adds nothing.</summary>
    [NotFreeText("A generated identifier of the spooled event.")]
    public string? SpoolId { get; init; }
}

public enum IdempotencyState
{
    InFlight,
    Completed,
}

/// <summary>A remembered API request, so a retried POST replays its first answer instead of acting twice.</summary>
public sealed class IdempotencyRecord
{
    /// <summary>Scope and the client's Idempotency-Key, e.g. "apikey:crm-sync|POST /api/v1/accounts/1/payments|abc".</summary>
    [NotFreeText("Looked up as sent: caller, route and the client's key.")]
    public required string Key { get; set; }

    /// <summary>SHA-256 of the request body: the same key with another body is refused.</summary>
    [NotFreeText("A SHA-256 hash.")]
    public required string RequestHash { get; set; }

    public IdempotencyState State { get; set; }

    public int? StatusCode { get; set; }

    [FreeText]
    public string? ResponseBody { get; set; }

    [NotFreeText("A URL Dunwell made.")]
    public string? Location { get; set; }

    public Instant CreatedAt { get; set; }
}

/// <summary>One run of a placement or payment import, with its counts.</summary>
public sealed class ImportRun
{
    public long Id { get; set; }

    /// <summary>placements or payments.</summary>
    [NotFreeText("A code from a fixed list, checked where it enters.")]
    public required string Kind { get; set; }

    [FreeText]
    public required string Source { get; set; }

    [NotFreeText("A SHA-256 hash.")]
    public required string Sha256 { get; set; }

    [NotFreeText("Who did it: a user name or API key name.")]
    public required string StartedBy { get; set; }

    public Instant StartedAt { get; set; }

    public Instant? FinishedAt { get; set; }

    public int Created { get; set; }

    public int Updated { get; set; }

    public int Unchanged { get; set; }

    public int Rejected { get; set; }
}
