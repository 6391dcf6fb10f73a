using Dunwell.Domain.Arrangements;
using NodaTime;

namespace Dunwell.Data;

/// <summary>
/// One version of a creditor's policy (DESIGN §3), as JSON of <see cref="CreditorPolicy"/>. Versions are only added,
/// so every arrangement can name the exact policy it was checked against.
/// </summary>
public sealed class CreditorPolicyVersion
{
    public long Id { get; set; }

    public long CreditorId { get; set; }

    public int Version { get; set; }

    [NotFreeText("Policy settings as JSON, numbers and codes checked by the policy editor.")]
    public required string PolicyJson { get; set; }

    [NotFreeText("Who did it: a user name or API key name.")]
    public required string CreatedBy { get; set; }

    public Instant CreatedAt { get; set; }
}

/// <summary>A promise to pay, instalment plan or settlement on one account, with who made, approved and checked it.</summary>
public sealed class Arrangement
{
    public long Id { get; set; }

    public long AccountId { get; set; }

    public ArrangementKind Kind { get; set; }

    public ArrangementState State { get; set; }

    [NotFreeText("A code from a fixed list, checked where it enters.")]
    public required string Currency { get; set; }

    /// <summary>What the customer agreed to pay in all.</summary>
    public long TotalMinor { get; set; }

    /// <summary>What would be written off when a settlement completes (posted to the ledger only then).</summary>
    public long DiscountMinor { get; set; }

    public long FeeWaiverMinor { get; set; }

    public Frequency? Frequency { get; set; }

    /// <summary>The balance when the arrangement was made, for the record.</summary>
    public long BalanceMinor { get; set; }

    /// <summary>
    /// The account's last ledger entry when the arrangement was proposed (read under the account lock): payments posted
    /// after it count towards the arrangement, whatever their value date, and those before it are already in its balance.
    /// </summary>
    public long PaymentsAfterEntryId { get; set; }

    [NotFreeText("Who did it: a user name or API key name.")]
    public required string CreatedBy { get; set; }

    [NotFreeText("A code from a fixed list, checked where it enters.")]
    public required string CreatedByRole { get; set; }

    public Instant CreatedAt { get; set; }

    /// <summary>The policy version the proposal was checked against, and the findings (JSON list of limit and message).</summary>
    public long? PolicyVersionId { get; set; }

    [NotFreeText("Limits and messages Dunwell wrote.")]
    public string? PolicyFindingsJson { get; set; }

    [NotFreeText("Who did it: a user name or API key name.")]
    public string? DecidedBy { get; set; }

    public Instant? DecidedAt { get; set; }

    [FreeText]
    public string? DecisionNote { get; set; }

    /// <summary>The last date the arrangement was evaluated for; evaluating it again changes nothing.</summary>
    public LocalDate? EvaluatedThrough { get; set; }

    public List<ArrangementInstalment> Instalments { get; set; } = [];
}

public sealed class ArrangementInstalment
{
    public long Id { get; set; }

    public long ArrangementId { get; set; }

    public int Number { get; set; }

    public LocalDate DueOn { get; set; }

    public long AmountMinor { get; set; }
}

public enum WorkTaskKind
{
    Callback,
    BrokenPromise,
    MissedInstalment,
    Approval,
    InboundReply,

    /// <summary>An outbound attempt was made while the compliance engine did not allow it: a supervisor reviews it.</summary>
    ComplianceException,

    /// <summary>The customer was flagged vulnerable: a specialist reviews the account.</summary>
    SpecialistReview,
}

/// <summary>Work for a person: a callback, a follow-up on a broken promise, an approval. Opened at most once per cause.</summary>
public sealed class WorkTask
{
    public long Id { get; set; }

    public long AccountId { get; set; }

    public WorkTaskKind Kind { get; set; }

    public Instant DueAt { get; set; }

    [NotFreeText("Who did it: a user name or API key name.")]
    public string? AssignedTo { get; set; }

    [FreeText]
    public required string Title { get; set; }

    [FreeText]
    public string? Note { get; set; }

    public long? ArrangementId { get; set; }

    /// <summary>What opened it ("missed:17:2"): a second evaluation of the same day cannot open it again.</summary>
    [NotFreeText("A key Dunwell made, like missed:17:2.")]
    public required string Cause { get; set; }

    public Instant CreatedAt { get; set; }

    public Instant? ClosedAt { get; set; }

    [NotFreeText("Who did it: a user name or API key name.")]
    public string? ClosedBy { get; set; }
}

public enum OutboxState
{
    Queued,

    /// <summary>The compliance engine refused it at queue or send time; <c>HeldReason</c> says why.</summary>
    Held,

    /// <summary>Handed to the provider, SMTP server or print batch; what came of it is not known yet.</summary>
    Sent,
    Failed,
    Cancelled,

    /// <summary>Claimed by a sender that is delivering it now.</summary>
    Sending,

    /// <summary>The provider reported it reached the recipient (an SMS receipt; a letter marked posted).</summary>
    Delivered,

    /// <summary>It did not reach the recipient (a bounce, an undeliverable SMS); recorded on the contact.</summary>
    Bounced,

    /// <summary>The outcome of an attempt is unknown on a channel that cannot be retried safely: a person reconciles it.</summary>
    Parked,
}

/// <summary>
/// A message to send (a reminder before an instalment, a recap, an agent's own words) and everything that explains what
/// came of it: the content as rendered, the linter's findings, the compliance decisions at queue and send time, the
/// address used, and each delivery attempt (<see cref="DeliveryAttempt"/>).
/// </summary>
public sealed class OutboxMessage
{
    public long Id { get; set; }

    public long AccountId { get; set; }

    public Domain.Accounts.InteractionChannel Channel { get; set; }

    [NotFreeText("A code from a fixed list, checked where it enters.")]
    public required string TemplateKey { get; set; }

    public Instant SendAfter { get; set; }

    public OutboxState State { get; set; }

    public long? ArrangementId { get; set; }

    /// <summary>Makes queuing idempotent ("reminder:17:2").</summary>
    [NotFreeText("A key Dunwell made, like reminder:17:2.")]
    public required string IdempotencyKey { get; set; }

    /// <summary>Why the compliance engine held it, in words; <c>SendAfter</c> moves to when it becomes allowed, if ever.</summary>
    [FreeText]
    public string? HeldReason
    {
        get => _heldReason;

        // Explanations join every reason the engine gave; past the column's 2000 characters the rest is cut, not the save.
        set => _heldReason = value is { Length: > MaxHeldReason } ? value[..(MaxHeldReason - 1)] + "…" : value;
    }

    public const int MaxHeldReason = 2000;

    private string? _heldReason;

    /// <summary>The email address or phone it was last screened for: the one the sender must use (null for a letter).</summary>
    public long? ContactId { get; set; }

    /// <summary>When it was last screened and under which pack and version ("US-FDCPA 2026.1"), so a decision can be explained later.</summary>
    public Instant? ScreenedAt { get; set; }

    [NotFreeText("A pack name and version Dunwell wrote.")]
    public string? ScreenedUnder { get; set; }

    public Instant CreatedAt { get; set; }

    /// <summary>The provider's id for it once handed over (an SMS id, an SMTP queue id, a letter batch), to match receipts to it.</summary>
    [NotFreeText("An id the provider gave, matched exactly.")]
    public string? ProviderMessageId { get; set; }

    /// <summary>Who queued it: "outbox" for what Dunwell queues on its own, otherwise the user or API key.</summary>
    [NotFreeText("Who did it: a user name or API key name.")]
    public string QueuedBy { get; set; } = "outbox";

    /// <summary>
    /// The content was written when it was queued (an agent's own words) and goes as it is, on <see cref="Channel"/>;
    /// otherwise the template is rendered, and the channel chosen, when it is sent.
    /// </summary>
    public bool PreRendered { get; set; }

    [FreeText]
    public string? Subject { get; set; }

    /// <summary>The plain text as sent (for a letter, its body).</summary>
    [FreeText]
    public string? BodyText { get; set; }

    [FreeText]
    public string? BodyHtml { get; set; }

    /// <summary>BCP 47 tag of the language it was written in.</summary>
    [NotFreeText("A BCP 47 tag, checked where it enters.")]
    public string? Language { get; set; }

    /// <summary>The template version it was rendered from; null for an agent's own words.</summary>
    public long? TemplateVersionId { get; set; }

    /// <summary>The address or number it went to, as used (the contact may change later).</summary>
    [FreeText]
    public string? Recipient { get; set; }

    /// <summary>The linter's findings as JSON, and the verdict (block, warn, pass).</summary>
    [FreeText]
    public string? LintFindings { get; set; }

    [NotFreeText("A code from a fixed list, checked where it enters.")]
    public string? LintVerdict { get; set; }

    /// <summary>The compliance decision when it was queued: pack and version, allowed or not, and the reasons in words.</summary>
    [FreeText]
    public string? QueueDecision { get; set; }

    /// <summary>The compliance decision when it was sent (or refused at send time), in the same form.</summary>
    [FreeText]
    public string? SendDecision { get; set; }

    /// <summary>The sender that claimed it (state Sending) and until when; a lease that ran out means that sender died.</summary>
    [NotFreeText("A token Dunwell made.")]
    public string? ClaimToken { get; set; }

    public Instant? LeaseUntil { get; set; }

    public int Attempts { get; set; }

    public Instant? SentAt { get; set; }

    /// <summary>The interaction on the account's timeline that records it was sent.</summary>
    public long? InteractionId { get; set; }

    public List<DeliveryAttempt> DeliveryAttempts { get; set; } = [];
}

/// <summary>
/// One try at handing a message over. It is written before the channel is asked (Outcome null: under way), so a
/// sender that dies mid-way leaves the evidence that it may have gone out, and completed with what came of it.
/// </summary>
public sealed class DeliveryAttempt
{
    public long Id { get; set; }

    public long OutboxMessageId { get; set; }

    public Instant StartedAt { get; set; }

    public Instant? FinishedAt { get; set; }

    public Domain.Accounts.InteractionChannel Channel { get; set; }

    /// <summary>Accepted, Transient, Rejected or Unknown; null while under way (or when the sender died during it).</summary>
    [NotFreeText("A code from a fixed list, checked where it enters.")]
    public string? Outcome { get; set; }

    [NotFreeText("An id the provider gave, matched exactly.")]
    public string? ProviderMessageId { get; set; }

    /// <summary>What the server or provider said, or what happened, in words.</summary>
    [FreeText]
    public string? Evidence { get; set; }

    /// <summary>When it will be tried again, after a transient failure.</summary>
    public Instant? NextRetryAt { get; set; }

    [NotFreeText("A token Dunwell made.")]
    public required string ClaimToken { get; set; }
}

/// <summary>A central bank rate from a date on (Bank Rate, ECB main refinancing rate), maintained by an admin.</summary>
public sealed class ReferenceRateEntry
{
    public long Id { get; set; }

    /// <summary>GB-BANK-RATE or ECB-MRO.</summary>
    [NotFreeText("A code from a fixed list, checked where it enters.")]
    public required string Series { get; set; }

    public LocalDate EffectiveFrom { get; set; }

    public int BasisPoints { get; set; }

    [NotFreeText("Who did it: a user name or API key name.")]
    public required string RecordedBy { get; set; }

    public Instant RecordedAt { get; set; }
}

/// <summary>
/// A rate taken out of force because it was recorded for the wrong date: a new record beside the rate, which stays as it
/// was (append-only), so the audit shows both. Statutory interest no longer counts a withdrawn rate.
/// </summary>
public sealed class ReferenceRateWithdrawal
{
    public long Id { get; set; }

    public long RateId { get; set; }

    [FreeText]
    public required string Reason { get; set; }

    [NotFreeText("Who did it: a user name or API key name.")]
    public required string WithdrawnBy { get; set; }

    public Instant WithdrawnAt { get; set; }
}
