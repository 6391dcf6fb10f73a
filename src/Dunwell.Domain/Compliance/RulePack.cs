using Dunwell.Domain.Accounts;

namespace Dunwell.Domain.Compliance;

/// <summary>One regulatory number of a pack, with where it comes from, for the docs and the admin pages.</summary>
public sealed record PackConstant(string Name, string Value, string Citation);

/// <summary>
/// A jurisdiction's rules: versioned data (hours, counts, days, interpretations, each with its citation) plus the code
/// that applies them. Packs are immutable records: a creditor that needs a different interpretation gets a copy made
/// with <c>with</c> and a new <see cref="Version"/>.
/// </summary>
public abstract record RulePack(string Id, string Version)
{
    /// <summary>The local hours the pack itself allows; null when the pack sets none (B2B). A firm policy may only narrow them.</summary>
    public abstract ContactWindow? Hours { get; }

    /// <summary>The zones to respect when nothing on file says where the debtor is.</summary>
    public abstract IReadOnlyList<string> UnknownLocationZones { get; }

    /// <summary>The pack's numbers and interpretations, with citations.</summary>
    public abstract IReadOnlyList<PackConstant> Constants();

    /// <summary>Adds every refusal (and, when asked, obligation) of this pack at one instant.</summary>
    internal abstract void Evaluate(Evaluation evaluation, NodaTime.Instant at, Findings findings);
}

/// <summary>The packs a deployment uses, and the choice of pack for a contact.</summary>
public sealed record RulePacks(UsFdcpaPack Us, UkFcaPack Uk, B2bPack B2b)
{
    public const string UsFdcpaId = "US-FDCPA";
    public const string UkFcaId = "UK-FCA";
    public const string B2bId = "B2B";

    public static RulePacks Default { get; } = new(new UsFdcpaPack(), new UkFcaPack(), new B2bPack());

    /// <summary>
    /// The pack for a creditor's jurisdiction and the accounts a contact is about. Consumer-credit law applies only to
    /// consumer debts, so a contact only about commercial accounts always gets the B2B pack; one that touches a
    /// consumer account gets the creditor's consumer pack.
    /// </summary>
    public RulePack Select(string jurisdiction, IEnumerable<AccountKind> accountKinds)
    {
        ArgumentNullException.ThrowIfNull(jurisdiction);
        ArgumentNullException.ThrowIfNull(accountKinds);
        var anyConsumer = accountKinds.Any(k => k == AccountKind.Consumer);
        return jurisdiction switch
        {
            UsFdcpaId => anyConsumer ? Us : B2b,
            UkFcaId => anyConsumer ? Uk : B2b,
            B2bId => B2b,
            _ => throw new ArgumentException($"Unknown rule pack '{jurisdiction}'; use {UsFdcpaId}, {UkFcaId} or {B2bId}.", nameof(jurisdiction)),
        };
    }

    public static IReadOnlyList<string> Ids { get; } = [UsFdcpaId, UkFcaId, B2bId];

    /// <summary>
    /// These packs as a creditor reads the ambiguous points (<paramref name="reading"/>); each pack changed gets the
    /// version <c>{its version}+{label}</c>, so every decision names the reading it was made under.
    /// </summary>
    public RulePacks Read(PackReading? reading, string label)
    {
        if (reading is null || reading.IsEmpty)
        {
            return this;
        }

        var us = Us with
        {
            ConvenientHours = Us.ConvenientHours with { ClosingInstantAllowed = reading.ClosingInstantAllowed ?? Us.ConvenientHours.ClosingInstantAllowed },
            CountNotConnectedCalls = reading.CountNotConnectedCalls ?? Us.CountNotConnectedCalls,
            ObservedHolidaysAreNotBusinessDays = reading.ObservedHolidaysAreNotBusinessDays ?? Us.ObservedHolidaysAreNotBusinessDays,
            DisputeBeforeNoticeHolds = reading.DisputeBeforeNoticeHolds ?? Us.DisputeBeforeNoticeHolds,
            AutomatedContactNeedsConsent = reading.AutomatedContactNeedsConsent ?? Us.AutomatedContactNeedsConsent,
        };
        var uk = Uk with
        {
            ReasonableHours = Uk.ReasonableHours with { ClosingInstantAllowed = reading.UkClosingInstantAllowed ?? Uk.ReasonableHours.ClosingInstantAllowed },
        };
        return new RulePacks(
            us == Us ? Us : us with { Version = $"{Us.Version}+{label}" },
            uk == Uk ? Uk : uk with { Version = $"{Uk.Version}+{label}" },
            B2b);
    }
}

/// <summary>
/// A creditor's reading of the points where the law is ambiguous (docs/compliance.md, "Interpretations you can
/// change"); each left null keeps the pack's own choice. Unlike a firm policy this may loosen as well as tighten: it is
/// counsel's call, saved (and versioned) with the creditor's policy, and every decision names the pack version it made.
/// </summary>
public sealed record PackReading
{
    /// <summary>US: is 21:00:00 itself a convenient time (Regulation F says "after 9:00 p.m." is inconvenient)?</summary>
    public bool? ClosingInstantAllowed { get; init; }

    /// <summary>US: do call attempts that never connected count towards the 7-in-7 presumption?</summary>
    public bool? CountNotConnectedCalls { get; init; }

    /// <summary>US: is the observed Friday or Monday of a weekend holiday not a business day (validation period end)?</summary>
    public bool? ObservedHolidaysAreNotBusinessDays { get; init; }

    /// <summary>US: does a written dispute received before any validation notice hold collection?</summary>
    public bool? DisputeBeforeNoticeHolds { get; init; }

    /// <summary>US: do automated texts need prior consent, as autodialled calls do?</summary>
    public bool? AutomatedContactNeedsConsent { get; init; }

    /// <summary>UK: is 21:00:00 itself within "between 8 am and 9 pm"?</summary>
    public bool? UkClosingInstantAllowed { get; init; }

    public bool IsEmpty => ClosingInstantAllowed is null && CountNotConnectedCalls is null && ObservedHolidaysAreNotBusinessDays is null
        && DisputeBeforeNoticeHolds is null && AutomatedContactNeedsConsent is null && UkClosingInstantAllowed is null;
}
