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
}
