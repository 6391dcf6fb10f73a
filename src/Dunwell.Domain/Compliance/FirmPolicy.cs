using System.Globalization;
using Dunwell.Domain.Accounts;
using NodaTime;

namespace Dunwell.Domain.Compliance;

/// <summary>
/// The firm's own contact policy, on top of the rule pack. It is evaluated in addition to the pack, never instead of
/// it, and it has no setting that removes a pack rule: a firm policy can only tighten. <see cref="Problems"/> also
/// refuses settings that look like loosening (hours wider than the pack's), so nobody believes they took effect.
/// </summary>
public sealed record FirmPolicy
{
    public string Version { get; init; } = "1";

    /// <summary>Local hours in the debtor's zones (for a business, its business zone); must lie within the pack's.</summary>
    public ContactWindow? Hours { get; init; }

    /// <summary>Days of the week with no calls, texts or emails (a Sunday ban).</summary>
    public ISet<IsoDayOfWeek> NoContactDays { get; init; } = new HashSet<IsoDayOfWeek>();

    /// <summary>Dates with no calls, texts or emails (bank holidays, a religious holiday).</summary>
    public ISet<LocalDate> NoContactDates { get; init; } = new HashSet<LocalDate>();

    /// <summary>At most this many outbound contacts per channel in any 7 local days, across the debtor's accounts.</summary>
    public IReadOnlyDictionary<ContactChannel, int> MaxContactsPerWeek { get; init; } = new Dictionary<ContactChannel, int>();

    /// <summary>Hold collection of any disputed account (oral or written, any time) until the dispute is answered: for B2B invoices.</summary>
    public bool HoldDisputedAccounts { get; init; }

    public const int WeekDays = 7;

    /// <summary>What is wrong with the policy for this pack, by field. A policy with problems should not be saved.</summary>
    public IReadOnlyList<(string Field, string Message)> Problems(RulePack pack)
    {
        ArgumentNullException.ThrowIfNull(pack);
        var problems = new List<(string, string)>();
        if (Hours is { } hours)
        {
            if (hours.Opens >= hours.Closes)
            {
                problems.Add(("hours", "The opening time must be before the closing time."));
            }
            else if (pack.Hours is { } packHours && !hours.IsWithin(packHours))
            {
                problems.Add(("hours", $"The firm's hours {hours} are wider than the {pack.Id} pack's {packHours}; a firm policy can only narrow them."));
            }
        }

        if (NoContactDays.Count == 7)
        {
            problems.Add(("noContactDays", "Every day of the week is excluded, so no contact could ever be made."));
        }

        foreach (var (channel, max) in MaxContactsPerWeek.Where(c => c.Value < 0))
        {
            problems.Add(("maxContactsPerWeek", string.Create(CultureInfo.InvariantCulture, $"The weekly cap for {channel} cannot be negative ({max}).")));
        }

        return problems;
    }

    private string Citation => $"Firm policy v{Version}";

    internal void Evaluate(Evaluation e, Instant at, Findings f)
    {
        if (Hours is { } hours)
        {
            TimeRules.Window(e, at, f, hours, "firm.contact-hours", Citation, "The firm's policy", consentLifts: false);
        }

        NoContactDay(e, at, f);
        WeeklyCap(e, at, f);
        DisputeHold(e, at, f);
    }

    private void NoContactDay(Evaluation e, Instant at, Findings f)
    {
        if (e.Channel == ContactChannel.Letter || (NoContactDays.Count == 0 && NoContactDates.Count == 0))
        {
            return;
        }

        bool Excluded(LocalDateTime local) => NoContactDays.Contains(local.DayOfWeek) || NoContactDates.Contains(local.Date);
        var hit = e.Zones.Where(z => Excluded(at.InZone(z).LocalDateTime)).ToList();
        if (hit.Count == 0)
        {
            return;
        }

        var next = LocalTimeSearch.EarliestClear(at, e.Zones, Excluded, local => local.Date.PlusDays(1).AtMidnight());
        var day = at.InZone(hit[0]).Date;
        f.Block("firm.no-contact-day", Citation,
            $"The firm does not contact debtors on {day.DayOfWeek} {Evaluation.Day(day)} (in {hit[0].Id}).",
            next, "The firm's excluded days leave no day free.");
    }

    private void WeeklyCap(Evaluation e, Instant at, Findings f)
    {
        if (!MaxContactsPerWeek.TryGetValue(e.Channel, out var max))
        {
            return;
        }

        var noun = Evaluation.ChannelNoun(e.Channel);
        if (max <= 0)
        {
            f.BlockForGood("firm.weekly-cap", Citation, $"The firm's policy allows no {noun}.", $"The firm's policy allows no {noun}; change the policy or use another channel.");
            return;
        }

        var sent = e.Before(at)
            .Where(h => h.Direction == InteractionDirection.Outbound && h.Channel == e.Channel && h.Result is not (ContactResult.NotConnected or ContactResult.Undeliverable))
            .Select(h => h.At)
            .ToList();
        Instant? until = null;
        foreach (var zone in e.Zones)
        {
            if (ContactCounting.CapReachedUntil(sent, at, zone, max, WeekDays) is { } end)
            {
                until = until is { } u ? Instant.Max(u, end) : end;
            }
        }

        if (until is { } blockedUntil)
        {
            f.Block("firm.weekly-cap", Citation,
                string.Create(CultureInfo.InvariantCulture, $"The firm allows {max} {noun} in any {WeekDays} days, and that many went out."),
                blockedUntil);
        }
    }

    private void DisputeHold(Evaluation e, Instant at, Findings f)
    {
        if (!HoldDisputedAccounts || !e.IsCollectionActivity)
        {
            return;
        }

        foreach (var account in e.Request.Accounts)
        {
            foreach (var dispute in account.Disputes.Where(d => d.OpenAt(at)))
            {
                f.Block("firm.dispute-hold", Citation,
                    $"Account {account.Id} was disputed on {e.Date(dispute.ReceivedAt)}; the firm holds collection of disputed invoices until the dispute is answered.",
                    dispute.VerifiedAt, "Collection resumes when the answer to the dispute is sent; record when it is.");
            }
        }
    }
}
