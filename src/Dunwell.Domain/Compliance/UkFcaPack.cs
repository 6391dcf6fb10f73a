using System.Globalization;
using Dunwell.Domain.Accounts;
using NodaTime;

namespace Dunwell.Domain.Compliance;

/// <summary>
/// UK consumer credit: the FCA's CONC 7 (arrears, default and recovery), FG21/1 on vulnerable customers, and the Debt
/// Respite Scheme (Breathing Space) Regulations 2020. CONC sets no clock hours or call counts; the pack's numbers for
/// them are stated interpretations, configurable like the rest.
/// </summary>
public sealed record UkFcaPack() : RulePack(RulePacks.UkFcaId, "2026.2")
{
    /// <summary>CONC 7.9.4R forbids unreasonable times without numbers; MCOB 13.5.4G's "between 8 am and 9 pm" is the measure used (A9).</summary>
    public ContactWindow ReasonableHours { get; init; } = new(new LocalTime(8, 0), new LocalTime(21, 0), ClosingInstantAllowed: true);

    /// <summary>Calls placed to the customer in any <see cref="CallWindowDays"/> local days, across their accounts; null for no cap (A9).</summary>
    public int? MaxCalls { get; init; } = 7;

    public int CallWindowDays { get; init; } = 7;

    /// <summary>
    /// A standard breathing space protects this many days from its start, the start (the day after the register entry,
    /// reg. 26(1)) being day 1 (SI 2020/1311, A10).
    /// </summary>
    public int StandardBreathingSpaceDays { get; init; } = 60;

    /// <summary>The zone of breathing-space dates (England and Wales).</summary>
    public string CalendarZone { get; init; } = "Europe/London";

    public override ContactWindow? Hours => ReasonableHours;

    public override IReadOnlyList<string> UnknownLocationZones => [CalendarZone];

    public override IReadOnlyList<PackConstant> Constants() =>
    [
        new("Reasonable hours", $"{ReasonableHours} local", "CONC 7.9.4R; MCOB 13.5.4G used as the measure"),
        new("Calls per customer", MaxCalls is { } max ? Text($"at most {max} in {CallWindowDays} days") : "no cap", "CONC 7.9.4R, CONC 7.3.4R (no number in the rules)"),
        new("Standard breathing space", Text($"{StandardBreathingSpaceDays} days from the start day, the day after the register entry, which counts as day 1"), "SI 2020/1311 regs. 7, 11, 26"),
        new("Breathing space calendar", CalendarZone, "SI 2020/1311 (England and Wales)"),
    ];

    internal override void Evaluate(Evaluation e, Instant at, Findings f)
    {
        Flags(e, at, f);
        BreathingSpace(e, at, f);
        Disputes(e, at, f);
        Requests(e, at, f);
        TimeRules.Window(e, at, f, ReasonableHours, "uk.fca.unreasonable-time", "CONC 7.9.4R; MCOB 13.5.4G", "The UK pack", consentLifts: true);
        TimeRules.DesignatedTimes(e, at, f, "uk.fca.requested-contact-time", "CONC 7.9.4R", consentLifts: true);
        CallFrequency(e, at, f);
    }

    private static IEnumerable<DebtorFlag> FlagsInForce(Evaluation e, DebtorFlagKind kind, Instant at) =>
        e.Request.Debtor.Flags.Where(flag => flag.Kind == kind && e.Touches(flag.Accounts) && flag.InForceAt(at));

    private static void Flags(Evaluation e, Instant at, Findings f)
    {
        foreach (var flag in FlagsInForce(e, DebtorFlagKind.Deceased, at).Where(_ => e.Purpose != ContactPurpose.RequiredByLaw))
        {
            f.Block("uk.deceased", "CONC 7.2.1R; PRIN 2A (Consumer Duty)",
                $"The customer died (recorded {e.Date(flag.Since)}). Deal with the estate's personal representative, not the customer's own contacts.",
                flag.Until, "A deceased customer is not contacted; record the estate's representative as the person to contact.");
        }

        foreach (var flag in FlagsInForce(e, DebtorFlagKind.Bankruptcy, at).Where(_ => e.IsCollectionActivity))
        {
            f.Block("uk.bankruptcy", "Insolvency Act 1986 s. 285(3)",
                $"The customer is bankrupt (since {e.Date(flag.Since)}); the debt is claimed from the trustee, not collected from the customer.",
                flag.Until, "Record the date of discharge or annulment if collection may resume.");
        }

        foreach (var flag in FlagsInForce(e, DebtorFlagKind.CeaseCommunication, at)
            .Where(_ => e.Purpose is not (ContactPurpose.RequiredByLaw or ContactPurpose.ResponseToConsumerRequest)))
        {
            f.Block("uk.fca.stop-contact-request", "CONC 7.9.4R",
                $"On {e.Date(flag.Since)} the customer asked you to stop contacting them. Only replies to them and notices the law requires may be sent.",
                flag.Until, "The request stands until the customer withdraws it.");
        }

        foreach (var flag in FlagsInForce(e, DebtorFlagKind.Vulnerable, at))
        {
            f.Oblige("uk.fca.vulnerable-specialist", "CONC 7.2.1R(2); CONC 7.3.4R; FG21/1", ObligationKind.Routing,
                "The customer is flagged vulnerable: a specialist handles the account, tailors contact to their needs and considers forbearance (breathing room, reduced payments, freezing interest and charges).");
            if (e.Request.Automated && e.IsCollectionActivity)
            {
                f.Block("uk.fca.vulnerable-automated", "CONC 7.2.1R(2); CONC 7.3.10R; FG21/1",
                    $"The customer is flagged vulnerable (since {e.Date(flag.Since)}): no automated collection contact; a specialist decides each contact.",
                    flag.Until, "Automated collection stays off until a specialist ends the vulnerability flag.");
            }
        }
    }

    /// <summary>During a breathing space: no contact about the debt except what reg. 11(2) allows, and no enforcement (regs. 7 and 11).</summary>
    private void BreathingSpace(Evaluation e, Instant at, Findings f)
    {
        var zone = CalendarDateTimeZone;
        var today = at.InZone(zone).Date;
        foreach (var space in e.Request.Debtor.BreathingSpaces.Where(s => e.Touches(s.Accounts) && BreathingSpaces.Protects(s, today, this)))
        {
            var last = BreathingSpaces.LastProtectedDay(space, this);
            var until = last is { } day ? LocalTimeSearch.StartOfDay(day.PlusDays(1), zone) : (Instant?)null;
            var lastText = last is { } l ? $"through {Evaluation.Day(l)}" : "until its end is notified";
            f.Oblige("uk.breathing-space.no-charges", "SI 2020/1311 reg. 7", ObligationKind.Restriction,
                $"Breathing space from {Evaluation.Day(space.Start)} {lastText}: no interest, fees or charges accrue, and no enforcement.");
            if (e.MentionsLegalAction)
            {
                f.Block("uk.breathing-space.enforcement", "SI 2020/1311 reg. 7",
                    $"The customer is in a breathing space {lastText}: no enforcement action and no step toward it.",
                    until, "A mental health crisis breathing space lasts until 30 days after the crisis treatment ends; the Insolvency Service notifies the end.");
            }

            if (e.IsCollectionActivity)
            {
                f.Block("uk.breathing-space.contact", "SI 2020/1311 reg. 11",
                    $"The customer is in a breathing space from {Evaluation.Day(space.Start)} {lastText}: no contact asking for payment. Replies to the customer or their adviser and notices the law requires are allowed.",
                    until, "A mental health crisis breathing space lasts until 30 days after the crisis treatment ends; the Insolvency Service notifies the end.");
            }
        }
    }

    /// <summary>A dispute on what may be valid grounds suspends recovery until the customer is told the outcome (CONC 7.14.1R, 7.14.5R).</summary>
    private static void Disputes(Evaluation e, Instant at, Findings f)
    {
        if (!e.IsCollectionActivity)
        {
            return;
        }

        foreach (var account in e.Request.Accounts)
        {
            foreach (var dispute in account.Disputes.Where(d => d.OpenAt(at)))
            {
                f.Block("uk.fca.dispute", "CONC 7.14.1R",
                    $"The customer disputed account {account.Id} on {e.Date(dispute.ReceivedAt)}: recovery is suspended while it is investigated.",
                    dispute.VerifiedAt, "Recovery resumes once the outcome of the investigation is sent to the customer (CONC 7.14.5R); record when it is.");
            }
        }
    }

    /// <summary>The customer's reasonable requests about where and how to be contacted (CONC 7.9.4R).</summary>
    private static void Requests(Evaluation e, Instant at, Findings f)
    {
        var exempt = e.Purpose is ContactPurpose.RequiredByLaw or ContactPurpose.OptOutConfirmation || e.IsOneReplyTo(at);
        if (e.Destination is { } to)
        {
            var noun = Evaluation.ContactNoun(to);
            if (to.OptedOutAt is { } optedOut && optedOut <= at && !exempt)
            {
                f.BlockForGood("uk.fca.contact-request", "CONC 7.9.4R",
                    $"The customer asked on {e.Date(optedOut)} not to be contacted at this {noun}.",
                    $"The {noun} stays off limits until the customer says otherwise.");
            }

            if ((to.InconvenientPlace || (to.Workplace && to.EmployerProhibits)) && to.Consent?.CoversInstant(at) != true && !exempt)
            {
                // Consent recorded from a later instant lifts the rule then, as in the US pack.
                f.Block("uk.fca.contact-place", "CONC 7.9.4R",
                    $"The customer asked not to be contacted at this {noun} (their workplace or another place that does not suit them).",
                    to.Consent is { } consent && consent.GivenAt > at ? consent.GivenAt : null,
                    "It stays off limits until the customer agrees to contact there.");
            }
        }

        foreach (var optOut in e.Request.Debtor.MediumOptOuts.Where(o => o.Medium == e.Channel && o.InForceAt(at) && !exempt))
        {
            f.Block("uk.fca.contact-request", "CONC 7.9.4R",
                $"On {e.Date(optOut.At)} the customer asked you not to use {Evaluation.ChannelNoun(e.Channel)}.",
                optOut.WithdrawnAt, $"Use another medium; {Evaluation.ChannelNoun(e.Channel)} stay off limits until the customer says otherwise.");
        }
    }

    /// <summary>No numeric cap in CONC; the pack counts calls placed to the customer across all their accounts (A9).</summary>
    private void CallFrequency(Evaluation e, Instant at, Findings f)
    {
        if (e.Channel != ContactChannel.Call || MaxCalls is not { } max)
        {
            return;
        }

        var calls = e.Before(at)
            .Where(h => h.Channel == ContactChannel.Call && h.Direction == InteractionDirection.Outbound && h.Result != ContactResult.NotConnected)
            .Select(h => h.At)
            .ToList();
        Instant? until = null;
        foreach (var zone in e.Zones)
        {
            if (ContactCounting.CapReachedUntil(calls, at, zone, max, CallWindowDays) is { } end)
            {
                until = until is { } u ? Instant.Max(u, end) : end;
            }
        }

        if (until is { } blockedUntil)
        {
            f.Block("uk.fca.contact-frequency", "CONC 7.9.4R; CONC 7.3.4R",
                Text($"{max} calls were placed to the customer in the last {CallWindowDays} days; more would be excessive under this pack's limit."),
                blockedUntil);
        }
    }

    internal DateTimeZone CalendarDateTimeZone => DateTimeZoneProviders.Tzdb.GetZoneOrNull(CalendarZone) ?? DateTimeZone.Utc;

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

/// <summary>
/// Breathing-space dates, for the contact rules and for the fees code: no interest, fees or charges accrue on a
/// moratorium debt on a protected day (SI 2020/1311 reg. 7).
/// </summary>
public static class BreathingSpaces
{
    /// <summary>
    /// The first protected day of a breathing space entered on the register on <paramref name="registeredOn"/>: the day
    /// after (SI 2020/1311 reg. 26(1)). Registered Friday 27 February 2026, it starts on Saturday 28 February (day 1).
    /// </summary>
    public static LocalDate StartAfterRegisterEntry(LocalDate registeredOn) => registeredOn.PlusDays(1);

    /// <summary>The last protected day: the notified end, else start + 59 for a standard one (day 60 protected, day 61 not); null while a crisis moratorium's end is unknown.</summary>
    public static LocalDate? LastProtectedDay(BreathingSpace space, UkFcaPack? pack = null)
    {
        ArgumentNullException.ThrowIfNull(space);
        var end = space.End ?? (space.Kind == BreathingSpaceKind.Standard
            ? space.Start.PlusDays((pack ?? RulePacks.Default.Uk).StandardBreathingSpaceDays - 1)
            : null);
        return space.CancelledFrom is { } cancelled && (end is null || cancelled <= end) ? cancelled.PlusDays(-1) : end;
    }

    public static bool Protects(BreathingSpace space, LocalDate day, UkFcaPack? pack = null) =>
        day >= space.Start && (LastProtectedDay(space, pack) is not { } last || day <= last);

    /// <summary>Whether interest, fees or charges may accrue on <paramref name="accountId"/> on <paramref name="day"/>.</summary>
    public static bool MayAccrue(IEnumerable<BreathingSpace> spaces, string accountId, LocalDate day, UkFcaPack? pack = null) =>
        !spaces.Any(s => Covers(s, accountId) && Protects(s, day, pack));

    /// <summary>The protected periods of an account, in the shape the fee accrual takes; an open-ended one runs to the end of time.</summary>
    public static IReadOnlyList<Fees.BlockedPeriod> AccrualBlocks(IEnumerable<BreathingSpace> spaces, string accountId, UkFcaPack? pack = null) =>
        [.. spaces
            .Where(s => Covers(s, accountId) && (LastProtectedDay(s, pack) is not { } last || last >= s.Start))
            .Select(s => new Fees.BlockedPeriod(s.Start, LastProtectedDay(s, pack) ?? LocalDate.MaxIsoValue, "breathing space"))];

    private static bool Covers(BreathingSpace space, string accountId) =>
        space.Accounts is null || space.Accounts.Contains(accountId, StringComparer.Ordinal);
}
