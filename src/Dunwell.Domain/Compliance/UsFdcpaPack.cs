using System.Globalization;
using Dunwell.Domain.Accounts;
using NodaTime;

namespace Dunwell.Domain.Compliance;

/// <summary>
/// US consumer debts: the Fair Debt Collection Practices Act and Regulation F (12 CFR part 1006), with the TCPA consent
/// rule for automated calls and texts. The numbers and interpretations are properties, each with its citation, so a
/// creditor's counsel can choose a stricter reading with <c>with</c> and a new version.
/// </summary>
public sealed record UsFdcpaPack() : RulePack(RulePacks.UsFdcpaId, "2026.1")
{
    /// <summary>08:00–21:00 local (12 CFR 1006.6(b)(1)(i)). Reg F calls only times "after 9:00 p.m." inconvenient, so 21:00:00 is allowed (A1).</summary>
    public ContactWindow ConvenientHours { get; init; } = new(new LocalTime(8, 0), new LocalTime(21, 0), ClosingInstantAllowed: true);

    /// <summary>More than this many calls about a debt in <see cref="CallWindowDays"/> is presumed harassment (1006.14(b)(2)(i)(A)).</summary>
    public int MaxCallsPerDebt { get; init; } = 7;

    public int CallWindowDays { get; init; } = 7;

    /// <summary>No call about a debt for this many days after a telephone conversation about it, that day being day 1 (1006.14(b)(2)(i)(B)).</summary>
    public int DaysAfterConversation { get; init; } = 7;

    /// <summary>Calls made with prior consent do not count for this many days from the day consent is received (1006.14(b)(3)(i)).</summary>
    public int ConsentDays { get; init; } = 7;

    /// <summary>Calls that never reached the number (busy, not in service) do not count (1006.14(b)(3)(ii)); set true to count them anyway.</summary>
    public bool CountNotConnectedCalls { get; init; }

    /// <summary>Validation information goes in the initial communication or within this many days after it (1006.34(a)); calendar days (A6).</summary>
    public int ValidationNoticeDays { get; init; } = 5;

    /// <summary>Receipt may be assumed this many business days after the notice is provided (1006.34(b)(5)).</summary>
    public int ReceiptBusinessDays { get; init; } = 5;

    /// <summary>The validation period ends this many days after (assumed) receipt (1006.34(b)(5)).</summary>
    public int ValidationPeriodDays { get; init; } = 30;

    /// <summary>Whether the Friday or Monday on which a weekend holiday is observed is also not a business day (the cautious reading).</summary>
    public bool ObservedHolidaysAreNotBusinessDays { get; init; } = true;

    /// <summary>Whether a written dispute received before any validation notice is treated as within the validation period (the cautious reading).</summary>
    public bool DisputeBeforeNoticeHolds { get; init; } = true;

    /// <summary>Wait this many days after mailing or sending before furnishing, the day after sending being day 1 (1006.30(a)(1)(ii), A7).</summary>
    public int PassiveReportingWaitDays { get; init; } = 14;

    /// <summary>Keep records this many years after the last communication or attempt, and call recordings after the call (1006.100).</summary>
    public int RecordRetentionYears { get; init; } = 3;

    /// <summary>Automated or prerecorded calls and texts need the consumer's prior express consent (47 U.S.C. 227(b)(1)(A)(iii)).</summary>
    public bool AutomatedContactNeedsConsent { get; init; } = true;

    public IReadOnlyList<string> NoLocationZones { get; init; } =
    [
        "America/New_York", "America/Chicago", "America/Denver", "America/Phoenix", "America/Los_Angeles",
        "America/Anchorage", "America/Adak", "Pacific/Honolulu", "America/Puerto_Rico",
    ];

    public override ContactWindow? Hours => ConvenientHours;

    public override IReadOnlyList<string> UnknownLocationZones => NoLocationZones;

    public override IReadOnlyList<PackConstant> Constants() =>
    [
        new("Convenient hours", $"{ConvenientHours} local, {(ConvenientHours.ClosingInstantAllowed ? "21:00:00 allowed" : "21:00:00 refused")}", "12 CFR 1006.6(b)(1)(i)"),
        new("Calls per debt", Text($"at most {MaxCallsPerDebt} in {CallWindowDays} consecutive days"), "12 CFR 1006.14(b)(2)(i)(A)"),
        new("Quiet after a conversation", Text($"{DaysAfterConversation} days, the conversation day being day 1"), "12 CFR 1006.14(b)(2)(i)(B)"),
        new("Prior consent to calls", Text($"excluded for {ConsentDays} days from receipt"), "12 CFR 1006.14(b)(3)(i)"),
        new("Calls not connected", CountNotConnectedCalls ? "counted" : "not counted", "12 CFR 1006.14(b)(3)(ii)"),
        new("Validation notice", Text($"in the initial communication or within {ValidationNoticeDays} calendar days after"), "12 CFR 1006.34(a)(1)"),
        new("Validation period", Text($"ends {ValidationPeriodDays} days after receipt, assumed {ReceiptBusinessDays} business days after sending"), "12 CFR 1006.34(b)(5)"),
        new("Passive credit reporting", Text($"furnish only after a conversation, or {PassiveReportingWaitDays} days after a letter or message"), "12 CFR 1006.30(a)(1)"),
        new("Record retention", Text($"{RecordRetentionYears} years after the last communication or attempt"), "12 CFR 1006.100"),
        new("Unknown location", string.Join(", ", NoLocationZones), "12 CFR 1006.6(b)(1)(i), comment 6(b)(1)(i)-1"),
    ];

    internal override void Evaluate(Evaluation e, Instant at, Findings f)
    {
        Deceased(e, at, f);
        Bankruptcy(e, at, f);
        Cease(e, at, f);
        Attorney(e, at, f);
        Disputes(e, at, f);
        TimeBarred(e, at, f);
        DestinationRules(e, at, f);
        MediumOptOuts(e, at, f);
        TimeRules.Window(e, at, f, ConvenientHours, "us.reg-f.inconvenient-time", "12 CFR 1006.6(b)(1)(i)", "Regulation F", consentLifts: true);
        TimeRules.DesignatedTimes(e, at, f, "us.reg-f.designated-inconvenient-time", "12 CFR 1006.6(b)(1)(i); comment 6(b)(1)-1", consentLifts: true);
        CallFrequency(e, at, f);
        if (f.WithObligations)
        {
            Obligations(e, at, f);
        }
    }

    private static IEnumerable<DebtorFlag> FlagsInForce(Evaluation e, DebtorFlagKind kind, Instant at) =>
        e.Request.Debtor.Flags.Where(flag => flag.Kind == kind && e.Touches(flag.Accounts) && flag.InForceAt(at));

    private static void Deceased(Evaluation e, Instant at, Findings f)
    {
        foreach (var flag in FlagsInForce(e, DebtorFlagKind.Deceased, at))
        {
            if (e.Purpose != ContactPurpose.RequiredByLaw)
            {
                f.Block("us.deceased", "12 CFR 1006.6(a)(4)",
                    $"The debtor died (recorded {e.Date(flag.Since)}). Deal with the estate's executor or administrator, not the debtor's own contacts.",
                    flag.Until, "A deceased debtor is not contacted; record the estate's representative as the person to contact.");
            }
        }
    }

    private static void Bankruptcy(Evaluation e, Instant at, Findings f)
    {
        foreach (var flag in FlagsInForce(e, DebtorFlagKind.Bankruptcy, at))
        {
            if (e.IsCollectionActivity)
            {
                f.Block("us.bankruptcy-stay", "11 U.S.C. 362(a)(6)",
                    $"The debtor is in bankruptcy (since {e.Date(flag.Since)}); the automatic stay forbids any act to collect the debt.",
                    flag.Until, "The stay lasts until the case is closed or dismissed or the court lifts it; record that date.");
            }
        }
    }

    private static void Cease(Evaluation e, Instant at, Findings f)
    {
        if (e.Purpose is ContactPurpose.CeaseTerminationNotice or ContactPurpose.CeaseRemedyNotice or ContactPurpose.CeaseIntendedRemedyNotice)
        {
            return;
        }

        foreach (var flag in FlagsInForce(e, DebtorFlagKind.CeaseCommunication, at))
        {
            f.Block("us.reg-f.cease-communication", "12 CFR 1006.6(c)",
                $"On {e.Date(flag.Since)} the consumer asked in writing that you stop communicating about this debt (or refused to pay). Only a notice that collection is ending, or of a specific remedy, may be sent.",
                flag.Until, "A cease request is permanent unless the consumer withdraws it.");
        }
    }

    private static void Attorney(Evaluation e, Instant at, Findings f)
    {
        foreach (var flag in FlagsInForce(e, DebtorFlagKind.RepresentedByAttorney, at))
        {
            f.Block("us.reg-f.attorney", "12 CFR 1006.6(b)(2)",
                $"The consumer is represented by an attorney for this debt (since {e.Date(flag.Since)}); communicate with the attorney, not the consumer.",
                flag.Until, "Direct contact resumes only when the attorney consents or fails to respond within a reasonable time; record that by ending the flag.");
        }
    }

    /// <summary>A written dispute within the validation period stops collection of the disputed amount until verification is sent (1006.38(d)(2)).</summary>
    private void Disputes(Evaluation e, Instant at, Findings f)
    {
        foreach (var account in e.Request.Accounts.Where(a => a.Kind == AccountKind.Consumer))
        {
            foreach (var dispute in account.Disputes.Where(d => d.OpenAt(at) && !HoldsCollection(d, account, e)))
            {
                f.Oblige("us.reg-f.disputed-debt", "15 U.S.C. 1692e(8); 12 CFR 1006.18(c)(3)", ObligationKind.Warning,
                    $"Account {account.Id} is disputed ({(dispute.Written ? "in writing, outside the validation period," : "orally")} on {e.Date(dispute.ReceivedAt)}). Collection may continue, but any credit reporting must show it as disputed.");
            }

            foreach (var dispute in Holds(account, e, at))
            {
                if (IsPartial(dispute, account))
                {
                    if (e.IsCollectionActivity)
                    {
                        f.Oblige("us.reg-f.dispute-hold", "12 CFR 1006.38(d)(2)", ObligationKind.Restriction,
                            $"The consumer disputes {dispute.Amount!.Value} of account {account.Id}: ask only for the undisputed amount until verification is sent.");
                    }
                }
                else if (e.IsCollectionActivity)
                {
                    f.Block("us.reg-f.dispute-hold", "12 CFR 1006.38(d)(2)",
                        $"The consumer disputed account {account.Id} in writing on {e.Date(dispute.ReceivedAt)}, {PeriodText(account, e)}. Collection stops until verification is sent.",
                        dispute.VerifiedAt, VerificationAwaited);
                }
            }
        }
    }

    internal const string VerificationAwaited = "Collection resumes only after verification (or a copy of a judgment) is sent; record when it is.";

    /// <summary>The open disputes of an account that hold its collection: written, and received within the validation period.</summary>
    internal IEnumerable<Dispute> Holds(AccountFacts account, Evaluation e, Instant at) =>
        account.Disputes.Where(d => d.OpenAt(at) && HoldsCollection(d, account, e));

    private bool HoldsCollection(Dispute dispute, AccountFacts account, Evaluation e) =>
        dispute.Written && (ValidationPeriodEndOf(account, e) is { } end ? e.EarliestDate(dispute.ReceivedAt) <= end : DisputeBeforeNoticeHolds);

    internal string PeriodText(AccountFacts account, Evaluation e) =>
        ValidationPeriodEndOf(account, e) is { } end ? $"within the validation period ending {Evaluation.Day(end)}" : "before any validation notice was sent";

    internal static bool IsPartial(Dispute dispute, AccountFacts account) =>
        dispute.Amount is { } amount && (account.Balance is not { } balance || amount.Minor < balance.Minor);

    private LocalDate? ValidationPeriodEndOf(AccountFacts account, Evaluation e) =>
        account.ValidationPeriodEnd
        ?? (account.ValidationNoticeSentAt is { } sent ? RegulationF.ValidationPeriodEnd(e.LatestDate(sent), this) : null);

    /// <summary>Never sue or threaten suit on a time-barred debt (1006.26(b)).</summary>
    private static void TimeBarred(Evaluation e, Instant at, Findings f)
    {
        foreach (var account in e.Request.Accounts.Where(a => IsTimeBarred(a, e, at)))
        {
            if (e.MentionsLegalAction)
            {
                f.BlockForGood("us.reg-f.time-barred-suit", "12 CFR 1006.26(b)",
                    $"Account {account.Id} is time-barred: you must not sue or threaten to sue on it, and this contact mentions legal action.",
                    "A time-barred debt never becomes suable again; remove any mention of suit, court or legal action.");
            }
            else
            {
                f.Oblige("us.reg-f.time-barred-suit", "12 CFR 1006.26(b)", ObligationKind.Restriction,
                    $"Account {account.Id} is time-barred: do not say or imply that you will sue or take legal action.");
            }
        }
    }

    internal static bool IsTimeBarred(AccountFacts account, Evaluation e, Instant at) =>
        account.TimeBarred || (account.TimeBarredFrom is { } from && e.LatestDate(at) >= from);

    private void DestinationRules(Evaluation e, Instant at, Findings f)
    {
        if (e.Destination is not { } to)
        {
            return;
        }

        var noun = Evaluation.ContactNoun(to);
        if (to.OptedOutAt is { } optedOut && optedOut <= at && !IsOptOutExempt(e, at))
        {
            f.BlockForGood("us.reg-f.address-opt-out", "12 CFR 1006.14(h)(1); 1006.6(e)",
                $"The consumer opted out of contact at this {noun} on {e.Date(optedOut)}.",
                $"The {noun} stays off limits until the consumer opts back in.");
        }

        var consented = to.Consent?.CoversInstant(at) == true;
        if (to.InconvenientPlace && !consented && !e.IsOneReplyTo(at))
        {
            f.Block("us.reg-f.inconvenient-place", "12 CFR 1006.6(b)(1)(ii)",
                $"The consumer said this {noun} is an inconvenient place to reach them.",
                ConsentStart(to, at), "It stays inconvenient until the consumer consents to contact there.");
        }

        if (to.Workplace && to.EmployerProhibits && !consented)
        {
            f.Block("us.reg-f.place-of-employment", "12 CFR 1006.6(b)(3)",
                $"This {noun} is at the consumer's workplace and the employer prohibits such contact.",
                ConsentStart(to, at), "Contact at work needs the consumer's prior consent, given directly to you.");
        }

        if (to.Workplace && to.Kind == ContactKind.Email && !consented)
        {
            f.Block("us.reg-f.employer-email", "12 CFR 1006.22(f)(3)",
                "This email address is provided by the consumer's employer; use it only with the consumer's consent or after they emailed you from it.",
                ConsentStart(to, at), "Record the consumer's consent (or their email from this address) as consent on the contact.");
        }

        if (AutomatedContactNeedsConsent && e.Request.Automated && e.Channel is ContactChannel.Call or ContactChannel.Sms && !consented)
        {
            f.Block("us.tcpa.automated-consent", "47 U.S.C. 227(b)(1)(A)(iii); 47 CFR 64.1200(a)(1)",
                "Automated or prerecorded calls and automated texts to this number need the consumer's prior express consent, and none is recorded.",
                ConsentStart(to, at), "Place the call by hand, or record the consumer's consent to automated contact at this number.");
        }
    }

    private static Instant? ConsentStart(ContactPoint to, Instant at) =>
        to.Consent is { } consent && consent.GivenAt > at ? consent.GivenAt : null;

    /// <summary>An opt-out still allows its own confirmation (electronic media), one reply to the consumer, and what other law requires.</summary>
    private static bool IsOptOutExempt(Evaluation e, Instant at) =>
        (e.Purpose == ContactPurpose.OptOutConfirmation && e.Channel is ContactChannel.Email or ContactChannel.Sms)
        || e.Purpose == ContactPurpose.RequiredByLaw
        || e.IsOneReplyTo(at);

    private static void MediumOptOuts(Evaluation e, Instant at, Findings f)
    {
        if (IsOptOutExempt(e, at))
        {
            return;
        }

        foreach (var optOut in e.Request.Debtor.MediumOptOuts.Where(o => o.Medium == e.Channel && o.InForceAt(at)))
        {
            f.Block("us.reg-f.medium-opt-out", "12 CFR 1006.14(h)(1)",
                $"On {e.Date(optOut.At)} the consumer asked you not to use {Evaluation.ChannelNoun(e.Channel)}.",
                optOut.WithdrawnAt, $"Use another medium; {Evaluation.ChannelNoun(e.Channel)} stay off limits until the consumer withdraws the request.");
        }
    }

    /// <summary>
    /// The call-frequency presumptions, per debt (1006.14(b)(2)): no call if seven were placed about the debt in seven
    /// consecutive days, or within seven days of a telephone conversation about it. Calls made under prior consent are
    /// excluded from both, for seven days from the day consent was received.
    /// </summary>
    private void CallFrequency(Evaluation e, Instant at, Findings f)
    {
        if (e.Channel != ContactChannel.Call)
        {
            return;
        }

        foreach (var account in e.Request.Accounts)
        {
            var consents = e.Request.Debtor.Consents
                .Where(c => c.Scope == ConsentScope.CallFrequency && (c.Accounts is null || c.Accounts.Contains(account.Id, StringComparer.Ordinal)))
                .ToList();
            var nextConsent = consents.Where(c => c.From > at).Select(c => (Instant?)c.From).Min();
            var calls = e.Before(at).Where(h => h.IsAbout(account.Id) && IsPlacedCall(h)).ToList();
            var conversations = e.Before(at)
                .Where(h => h.IsAbout(account.Id) && h.Channel == ContactChannel.Call && h.Result == ContactResult.Conversation)
                .Select(h => h.At)
                .ToList();

            Instant? capUntil = null, quietUntil = null;
            var capCount = 0;
            Instant? lastConversation = null;
            foreach (var zone in e.Zones)
            {
                if (Consented(consents, at, zone))
                {
                    continue;
                }

                var counted = calls.Where(c => !Consented(consents, c.At, zone)).Select(c => c.At).ToList();
                if (ContactCounting.CapReachedUntil(counted, at, zone, MaxCallsPerDebt, CallWindowDays) is { } cap)
                {
                    capUntil = Max(capUntil, TimeRules.Earliest(cap, nextConsent));
                    var first = at.InZone(zone).Date.PlusDays(-(CallWindowDays - 1));
                    capCount = Math.Max(capCount, counted.Count(c => c.InZone(zone).Date >= first));
                }

                if (ContactCounting.PeriodAfterUntil(conversations, at, zone, DaysAfterConversation) is { } quiet)
                {
                    quietUntil = Max(quietUntil, TimeRules.Earliest(quiet, nextConsent));
                    lastConversation = conversations.Max();
                }
            }

            if (capUntil is { } capEnd)
            {
                f.Block("us.reg-f.call-frequency", "12 CFR 1006.14(b)(2)(i)(A)",
                    Text($"{capCount} calls about account {account.Id} were placed in the last {CallWindowDays} days (the consumer's local calendar); one more would be presumed harassment."),
                    capEnd);
            }

            if (quietUntil is { } quietEnd && lastConversation is { } spoke)
            {
                f.Block("us.reg-f.call-after-conversation", "12 CFR 1006.14(b)(2)(i)(B)",
                    Text($"You spoke with the consumer about account {account.Id} on {e.Date(spoke)}; no call about it for {DaysAfterConversation} days, that day included, unless the consumer consents."),
                    quietEnd);
            }
        }
    }

    internal bool IsPlacedCall(ContactEvent h) =>
        h.Channel == ContactChannel.Call
        && h.Direction == InteractionDirection.Outbound
        && (h.Result is ContactResult.Attempted or ContactResult.Voicemail or ContactResult.Conversation
            || (CountNotConnectedCalls && h.Result == ContactResult.NotConnected));

    private bool Consented(List<PriorConsent> consents, Instant at, DateTimeZone zone) =>
        consents.Any(c => (c.Until is null || at < c.Until) && ContactCounting.WithinDays(c.From, at, zone, ConsentDays));

    private static Instant? Max(Instant? a, Instant? b) =>
        a is null ? b : b is null ? a : Instant.Max(a.Value, b.Value);

    private void Obligations(Evaluation e, Instant at, Findings f)
    {
        if (e.Channel is ContactChannel.Email or ContactChannel.Sms && e.Purpose != ContactPurpose.OptOutConfirmation)
        {
            f.Oblige("us.reg-f.electronic-opt-out-notice", "12 CFR 1006.6(e)", ObligationKind.Requirement,
                $"Include a clear, simple way to opt out of further {Evaluation.ChannelNoun(e.Channel)} to this address or number (reply STOP, a link), asking no fee and no information beyond the opt-out.");
        }

        foreach (var account in e.Request.Accounts.Where(a => a.Kind == AccountKind.Consumer))
        {
            var firstCommunication = account.FirstCommunicationAt is { } earlier && earlier < at
                ? earlier
                : e.Before(at)
                    .Where(h => h.IsAbout(account.Id) && h.Result is ContactResult.Conversation or ContactResult.Sent)
                    .Select(h => (Instant?)h.At)
                    .FirstOrDefault();
            if (e.Purpose != ContactPurpose.OptOutConfirmation)
            {
                f.Oblige("us.reg-f.debt-collector-disclosure", "12 CFR 1006.18(e)", ObligationKind.Requirement, firstCommunication is null
                    ? $"This is the first communication about account {account.Id}: say that you are a debt collector attempting to collect a debt and that any information obtained will be used for that purpose (a limited-content voicemail says neither)."
                    : "Say that the communication is from a debt collector (a limited-content voicemail does not).");
            }

            if (account.ValidationNoticeSentAt is null && e.Purpose != ContactPurpose.ValidationNotice)
            {
                if (firstCommunication is { } first)
                {
                    var due = e.EarliestDate(first).PlusDays(ValidationNoticeDays);
                    var overdue = e.LatestDate(at) > due;
                    f.Oblige("us.reg-f.validation-notice", "12 CFR 1006.34(a)(1)", overdue ? ObligationKind.Warning : ObligationKind.Requirement, overdue
                        ? Text($"The validation notice for account {account.Id} was due by {Evaluation.Day(due)}, {ValidationNoticeDays} days after the first communication, and has not been sent.")
                        : $"Send the validation notice for account {account.Id} by {Evaluation.Day(due)}.");
                }
                else
                {
                    f.Oblige("us.reg-f.validation-notice", "12 CFR 1006.34(a)(1)", ObligationKind.Requirement,
                        Text($"Give the validation information for account {account.Id} in this first communication or within {ValidationNoticeDays} days after it."));
                }
            }
        }
    }

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
