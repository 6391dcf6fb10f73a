using System.Globalization;
using Dunwell.Domain.Accounts;
using NodaTime;

namespace Dunwell.Domain.Compliance;

/// <summary>
/// Decides whether a contact may be made at an instant, under a rule pack and a firm policy, and when it may be made
/// if not now. The firm policy is evaluated in addition to the pack, never instead of it: a refusal from either
/// refuses, so a firm policy can only ever tighten.
/// </summary>
public static class ComplianceEngine
{
    /// <summary>
    /// The search for the next allowed instant gives up after this many steps or this far ahead. Rules that refuse on
    /// alternate parts of each day (hours in one zone, requested times in another) take a step or two a day, so the
    /// steps allow about ten a day over the whole horizon: the horizon, not the count, is what ends a search.
    /// </summary>
    public const int MaxSteps = 4_000;

    public static readonly Duration Horizon = Duration.FromDays(366);

    /// <summary>Chooses the pack from the creditor's jurisdiction and the accounts' kinds, then decides.</summary>
    public static ContactDecision Decide(ContactRequest request, string jurisdiction, FirmPolicy? firm = null, RulePacks? packs = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        var pack = (packs ?? RulePacks.Default).Select(jurisdiction, request.Accounts.Select(a => a.Kind));
        return Decide(request, pack, firm);
    }

    public static ContactDecision Decide(ContactRequest request, RulePack pack, FirmPolicy? firm = null)
    {
        var evaluation = new Evaluation(request, pack, firm);
        var asked = Run(evaluation, request.At, withObligations: true);
        if (evaluation.Unrecognised.Count > 0)
        {
            asked.Oblige("data.time-zone", "IANA time zone database", ObligationKind.Warning,
                $"These time zones on file are not recognised and were ignored: {string.Join(", ", evaluation.Unrecognised)}.");
        }

        foreach (var note in evaluation.LocationNotes)
        {
            asked.Oblige("data.location", "Location on file", ObligationKind.Warning, note);
        }

        if (pack is B2bPack && request.Accounts.Any(a => a.Kind == AccountKind.Consumer))
        {
            asked.Oblige("data.pack-mismatch", "Creditor policy", ObligationKind.Warning,
                "A consumer account is collected under the B2B pack, which applies no consumer-protection rules; check the creditor's jurisdiction.");
        }

        var reasons = asked.Blocks.Select(b => b.Reason).ToList();
        var search = asked.Blocks.Count == 0 ? null : NextAllowed(evaluation, request.At, asked);
        return new ContactDecision(asked.Blocks.Count == 0, reasons, search?.Next, search?.Why)
        {
            Obligations = asked.Obligations,
            Refusals = Refusals(request.At, asked, search),
            PackId = pack.Id,
            PackVersion = pack.Version,
            Zones = [.. evaluation.Zones.Select(z => z.Id)],
        };
    }

    /// <summary>Only whether the contact is allowed at the instant asked, without searching for the next time: for sampling and bulk checks.</summary>
    internal static bool IsAllowed(ContactRequest request, RulePack pack, FirmPolicy? firm = null) =>
        Run(new Evaluation(request, pack, firm), request.At, withObligations: false).Blocks.Count == 0;

    private static Findings Run(Evaluation evaluation, Instant at, bool withObligations)
    {
        var findings = new Findings(withObligations);
        evaluation.Pack.Evaluate(evaluation, at, findings);
        evaluation.Firm?.Evaluate(evaluation, at, findings);
        return findings;
    }

    /// <summary>
    /// Every refusal at the asked instant, marked decisive when it sets the next allowed time; when the rule that sets it
    /// only refuses later (the search met it on the way), it is added, so the time named always comes with its rule.
    /// </summary>
    private static List<Refusal> Refusals(Instant asked, Findings findings, Search? search)
    {
        var decidedNow = search is not null && search.DecidedAt == asked;
        var refusals = findings.Blocks
            .Select(b => new Refusal(b.Reason, asked, b.Until, b.WhyNever) { Decisive = decidedNow && search!.Deciding.Contains(b) })
            .ToList();
        if (search is not null && !decidedNow)
        {
            refusals.AddRange(search.Deciding.Select(b => new Refusal(b.Reason, search.DecidedAt, b.Until, b.WhyNever) { RefusesNow = false, Decisive = true }));
        }

        return refusals;
    }

    /// <summary>The search's answer, and the refusals it had to wait out last (found at <paramref name="DecidedAt"/>).</summary>
    private sealed record Search(Instant? Next, string? Why, Instant DecidedAt, IReadOnlyList<Block> Deciding);

    /// <summary>
    /// Each refusal names the earliest instant its rule could allow; none can allow earlier than the latest of those,
    /// so jump there and ask again until nothing refuses. Every jump is a lower bound, so the first clear instant found
    /// is the earliest one.
    /// </summary>
    private static Search NextAllowed(Evaluation evaluation, Instant from, Findings findings)
    {
        var at = from;
        var pastHorizon = false;
        for (var step = 0; step < MaxSteps; step++)
        {
            var forGood = findings.Blocks.Where(b => b.Until is null).ToList();
            if (forGood.Count > 0)
            {
                return new(null, string.Join(" ", forGood.Select(b => b.WhyNever).Distinct(StringComparer.Ordinal)), at, forGood);
            }

            var next = findings.Blocks.Max(b => b.Until!.Value);
            if (next <= at)
            {
                throw new InvalidOperationException($"Rule {findings.Blocks.First(b => b.Until <= at).Reason.RuleId} refused without moving forward.");
            }

            if (next - from > Horizon)
            {
                pastHorizon = true;
                break;
            }

            var deciding = findings.Blocks.Where(b => b.Until == next).ToList();
            var decidedAt = at;
            at = next;
            findings = Run(evaluation, at, withObligations: false);
            if (findings.Blocks.Count == 0)
            {
                return new(at, null, decidedAt, deciding);
            }
        }

        var still = string.Join(", ", findings.Blocks.Select(b => b.Reason.RuleId).Distinct(StringComparer.Ordinal));
        var searched = pastHorizon ? "in the next year" : string.Create(CultureInfo.InvariantCulture, $"before {Evaluation.Day(evaluation.EarliestDate(at))}, {Evaluation.LocalTimes(at, evaluation.Zones)} (the search stopped after {MaxSteps} steps)");
        return new(null, $"No instant {searched} satisfies every rule together (still refusing: {still}); check the debtor's zones, requested times and the firm policy.", at, []);
    }
}
