using NodaTime;

namespace Dunwell.Domain.Compliance;

/// <summary>Why a contact is refused: a stable rule id (it appears verbatim in API output), the law it comes from, and a plain sentence.</summary>
public sealed record Reason(string RuleId, string Citation, string Message);

public enum ObligationKind
{
    /// <summary>Something the contact must include or do, such as an opt-out statement.</summary>
    Requirement,

    /// <summary>Something the contact must not say, such as a threat of suit on a time-barred debt.</summary>
    Restriction,

    /// <summary>Where the work must go, such as a specialist for a vulnerable customer.</summary>
    Routing,

    /// <summary>Something a person should look at; it does not block.</summary>
    Warning,
}

/// <summary>
/// One rule refusing, and from when it would let the contact through. The decision lists every rule refusing at the
/// asked instant, and also the rule that sets the next allowed time when that rule only refuses later (a call refused
/// by the weekly cap until midnight, when the hours rule refuses until 08:00).
/// </summary>
/// <param name="Reason">The rule, its citation and its sentence, as it refused at <paramref name="At"/>.</param>
/// <param name="At">When the rule was found refusing: the asked instant, or a later one the search for the next allowed time reached.</param>
/// <param name="AllowsFrom">The earliest instant from which this rule alone would allow the contact; null when it never would on what is known.</param>
/// <param name="NeverBecause">When <paramref name="AllowsFrom"/> is null: what would end the refusal.</param>
public sealed record Refusal(Reason Reason, Instant At, Instant? AllowsFrom, string? NeverBecause)
{
    /// <summary>Whether the rule refuses at the asked instant; false for a rule the search met later.</summary>
    public bool RefusesNow { get; init; } = true;

    /// <summary>
    /// Whether this rule sets the decision's next allowed time (the last refusal the search had to wait out), or, when
    /// there is none, is what keeps the contact refused for good. Rules ending at the same instant are all decisive.
    /// </summary>
    public bool Decisive { get; init; }
}

/// <summary>What an allowed contact must respect. Obligations never block; they travel with the message or the call.</summary>
public sealed record Obligation(string RuleId, string Citation, ObligationKind Kind, string Message);

/// <summary>
/// The engine's answer: allowed or not, every reason, what an allowed contact must respect, and the earliest instant
/// at or after the asked one at which the whole decision (rule pack and firm policy) is allowed.
/// </summary>
/// <param name="Allowed">Whether the contact may be made at the asked instant.</param>
/// <param name="Reasons">Every rule that refuses it at the asked instant; empty when allowed.</param>
/// <param name="NextAllowedAt">When refused: the earliest instant it becomes allowed, or null when none is known.</param>
/// <param name="NoNextAllowedBecause">When refused and <paramref name="NextAllowedAt"/> is null: why (a cease is permanent, a verification has no date…).</param>
public sealed record ContactDecision(bool Allowed, IReadOnlyList<Reason> Reasons, Instant? NextAllowedAt, string? NoNextAllowedBecause)
{
    public IReadOnlyList<Obligation> Obligations { get; init; } = [];

    /// <summary>Every refusing rule with the instant it would allow from, and which of them decides <see cref="NextAllowedAt"/>.</summary>
    public IReadOnlyList<Refusal> Refusals { get; init; } = [];

    /// <summary>The refusals that set the next allowed time (or keep it from having one); empty when allowed or when the search gave up.</summary>
    public IEnumerable<Refusal> Decisive => Refusals.Where(r => r.Decisive);

    /// <summary>The ids of the rules that set the next allowed time, each once.</summary>
    public IReadOnlyList<string> DecidingRules => [.. Decisive.Select(r => r.Reason.RuleId).Distinct(StringComparer.Ordinal)];

    /// <summary>The rule pack and version that decided, for the record kept with the message or call.</summary>
    public string PackId { get; init; } = "";

    public string PackVersion { get; init; } = "";

    /// <summary>The IANA zones the debtor may be in, which the time rules used.</summary>
    public IReadOnlyList<string> Zones { get; init; } = [];
}
