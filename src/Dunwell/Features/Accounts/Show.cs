using System.Globalization;
using Dunwell.Domain.Accounts;
using Dunwell.Domain.Ledger;
using NodaTime;
using NodaTime.Text;

namespace Dunwell.Features.Accounts;

/// <summary>
/// How the agent pages write money, dates, times and codes for people: "$1,234.56", "3 Mar 2026",
/// "Tue 3 Mar 2026, 09:15 EST". One place, so every page says the same thing the same way.
/// </summary>
public static class Show
{
    private static readonly LocalDatePattern DatePattern = LocalDatePattern.Create("d MMM yyyy", CultureInfo.InvariantCulture);
    private static readonly LocalDateTimePattern InputPattern = LocalDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm");
    private static readonly LocalTimePattern TimePattern = LocalTimePattern.Create("HH:mm", CultureInfo.InvariantCulture);
    private static readonly LocalDateTimePattern InputWithSecondsPattern = LocalDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm':'ss");

    /// <summary>Minor units with the currency's symbol and digits in the viewer's locale (<see cref="Web.Display.Money(long, string)"/>).</summary>
    public static string Money(long minor, string currency) => Web.Display.Money(minor, currency);

    public static string Date(LocalDate date) => DatePattern.Format(date);

    public static string Date(LocalDate? date) => date is { } d ? Date(d) : "—";

    /// <summary>An instant as local time with the zone's abbreviation (<see cref="Web.Display.When"/>).</summary>
    public static string When(Instant instant, DateTimeZone zone) => Web.Display.When(instant, zone);

    /// <summary>The machine-readable form for a &lt;time datetime="…"&gt; attribute.</summary>
    public static string Iso(Instant instant) => InstantPattern.General.Format(instant);

    /// <summary>The value of a datetime-local input for an instant seen in <paramref name="zone"/>.</summary>
    public static string InputValue(Instant instant, DateTimeZone zone) => InputPattern.Format(instant.InZone(zone).LocalDateTime);

    /// <summary>Reads a datetime-local input as a local time in <paramref name="zone"/> (a time skipped by DST moves forward).</summary>
    public static Instant? ParseInput(string? text, DateTimeZone zone)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var parsed = InputPattern.Parse(text.Trim());
        if (!parsed.Success)
        {
            parsed = InputWithSecondsPattern.Parse(text.Trim());
        }

        // Outside the plausible window (Plausible) reads as no time given: the form then says what it needs.
        return parsed.Success && parsed.Value.Date >= Domain.Inputs.Plausible.FirstDate && parsed.Value.Date <= Domain.Inputs.Plausible.LastDate
            ? parsed.Value.InZoneLeniently(zone).ToInstant()
            : null;
    }

    public static string Status(AccountStatus status) => status switch
    {
        AccountStatus.Active => "Active",
        AccountStatus.InArrangement => "In arrangement",
        AccountStatus.Disputed => "Disputed",
        AccountStatus.Paid => "Paid",
        AccountStatus.Settled => "Settled",
        AccountStatus.Escalated => "Escalated",
        AccountStatus.Closed => "Closed",
        AccountStatus.WrittenOff => "Written off",
    };

    /// <summary>
    /// The status as people should read it: an account an overpayment left in credit says "In credit" whatever its
    /// status, never "Paid" as if nothing more were to be done (the creditor owes the difference back).
    /// </summary>
    public static string Status(AccountStatus status, long balanceMinor) => balanceMinor < 0 ? "In credit" : Status(status);

    public static string StatusTone(AccountStatus status, long balanceMinor) => balanceMinor < 0 ? "credit" : StatusTone(status);

    /// <summary>A balance as people read it: "$1,225.00" owed, or "In credit: $12.00" when the creditor owes it back.</summary>
    public static string Balance(long balanceMinor, string currency) =>
        balanceMinor < 0 ? $"In credit: {Money(Domain.Ledger.Overpayment.Credit(balanceMinor), currency)}" : Money(balanceMinor, currency);

    /// <summary>A CSS modifier for the status badge.</summary>
    public static string StatusTone(AccountStatus status) => status switch
    {
        AccountStatus.Active => "active",
        AccountStatus.InArrangement => "arrangement",
        AccountStatus.Disputed => "disputed",
        AccountStatus.Paid or AccountStatus.Settled => "done",
        AccountStatus.Escalated => "escalated",
        AccountStatus.Closed or AccountStatus.WrittenOff => "closed",
    };

    public static string Outcome(OutcomeCode outcome) => outcome switch
    {
        OutcomeCode.None => "No outcome",
        OutcomeCode.RightPartyContact => "Right-party contact",
        OutcomeCode.ThirdPartyContact => "Third-party contact",
        OutcomeCode.NoAnswer => "No answer",
        OutcomeCode.LeftMessage => "Left message",
        OutcomeCode.WrongNumber => "Wrong number",
        OutcomeCode.Promise => "Promise to pay",
        OutcomeCode.Dispute => "Dispute",
        OutcomeCode.Refused => "Refused to pay",
        OutcomeCode.CallbackRequested => "Callback requested",
        OutcomeCode.Hardship => "Hardship",
        OutcomeCode.PaidInFull => "Paid in full",
        OutcomeCode.Busy => "Busy",
        OutcomeCode.NotInService => "Number not in service",
        OutcomeCode.VoicemailNoMessage => "Voicemail, no message left",
        OutcomeCode.Correction => "Correction",
    };

    public static string Channel(InteractionChannel channel) => channel switch
    {
        InteractionChannel.Call => "Call",
        InteractionChannel.Email => "Email",
        InteractionChannel.Sms => "SMS",
        InteractionChannel.Letter => "Letter",
        InteractionChannel.Portal => "Portal",
        InteractionChannel.Note => "Note",
    };

    public static string Direction(InteractionDirection direction) => direction switch
    {
        InteractionDirection.Outbound => "Outbound",
        InteractionDirection.Inbound => "Inbound",
        InteractionDirection.Internal => "Internal",
    };

    public static string LedgerKind(LedgerEntryKind kind) => kind switch
    {
        LedgerEntryKind.Charge => "Opening charge",
        LedgerEntryKind.Interest => "Interest",
        LedgerEntryKind.Fee => "Fee",
        LedgerEntryKind.Payment => "Payment",
        LedgerEntryKind.Reversal => "Reversal",
        LedgerEntryKind.Adjustment => "Adjustment",
        LedgerEntryKind.Waiver => "Waiver",
        LedgerEntryKind.SettlementDiscount => "Settlement discount",
    };

    public static string Flag(DebtorFlagKind kind) => kind switch
    {
        DebtorFlagKind.CeaseCommunication => "Cease communication",
        DebtorFlagKind.RepresentedByAttorney => "Represented by attorney",
        DebtorFlagKind.Bankruptcy => "Bankruptcy",
        DebtorFlagKind.Deceased => "Deceased",
        DebtorFlagKind.Vulnerable => "Vulnerable",
        DebtorFlagKind.BreathingSpace => "Breathing space",
        DebtorFlagKind.MentalHealthCrisisBreathingSpace => "Mental health crisis breathing space",
        DebtorFlagKind.OptOutCalls => "No calls",
        DebtorFlagKind.OptOutSms => "No text messages",
        DebtorFlagKind.OptOutEmail => "No email",
        DebtorFlagKind.OptOutLetters => "No letters",
        DebtorFlagKind.ConsentToInconvenientTimes => "Consents to contact at otherwise inconvenient times",
        DebtorFlagKind.ConsentToCalls => "Consents to further calls",
    };

    /// <summary>
    /// How long a breathing space protects, after its start: ", protected through 28 Apr 2026 (day 60)", or until the
    /// Insolvency Service notifies the end of a crisis one; nothing for other flags.
    /// </summary>
    public static string Protection(FlagLine flag) => flag switch
    {
        { ProtectedThrough: { } last } when Compliance.ContactQuestion.IsBreathingSpace(flag.Kind) =>
            $", protected through {Date(last)} (day {Period.Between(flag.Since, last, PeriodUnits.Days).Days + 1})",
        _ when Compliance.ContactQuestion.IsBreathingSpace(flag.Kind) => ", protected until the Insolvency Service notifies its end",
        _ => "",
    };

    /// <summary>An inconvenient-time range as people say it: "22:00–07:00 (overnight), Sat, Sun", "12:00–13:00, every day" or "All day, Sat".</summary>
    public static string InconvenientTime(InconvenientTimeLine time)
    {
        var hours = time.IsWholeDay ? "All day" : $"{TimePattern.Format(time.From)}–{TimePattern.Format(time.Until)}{(time.Until < time.From ? " (overnight)" : "")}";
        var days = time.Days.Count == 0 ? "every day" : string.Join(", ", time.Days.Select(d => CultureInfo.InvariantCulture.DateTimeFormat.AbbreviatedDayNames[(int)d % 7]));
        return $"{hours}, {days}";
    }

    /// <summary>What an outbound contact was for, as the interaction form offers it.</summary>
    public static string Purpose(Domain.Compliance.ContactPurpose purpose) => purpose switch
    {
        Domain.Compliance.ContactPurpose.Collection => "Collection (a call, a reminder, an offer)",
        Domain.Compliance.ContactPurpose.ConversationRecap => "Recap of what was agreed",
        Domain.Compliance.ContactPurpose.ValidationNotice => "Validation notice",
        Domain.Compliance.ContactPurpose.DisputeVerification => "Verification of a dispute",
        Domain.Compliance.ContactPurpose.ResponseToConsumerRequest => "Reply to the customer's own request",
        Domain.Compliance.ContactPurpose.OptOutConfirmation => "Confirmation of an opt-out",
        Domain.Compliance.ContactPurpose.RequiredByLaw => "A notice the law requires",
        Domain.Compliance.ContactPurpose.CeaseTerminationNotice => "Notice that collection is ending (after a cease)",
        Domain.Compliance.ContactPurpose.CeaseRemedyNotice => "Notice that remedies may be invoked (after a cease)",
        Domain.Compliance.ContactPurpose.CeaseIntendedRemedyNotice => "Notice of a specific remedy to be invoked (after a cease)",
        Domain.Compliance.ContactPurpose.LegalActionNotice => "Notice about legal action",
        _ => purpose.ToString(),
    };

    public static string Consent(ConsentState consent) => consent switch
    {
        ConsentState.Unknown => "Consent not recorded",
        ConsentState.Granted => "Consent given",
        ConsentState.OptedOut => "Opted out",
    };

    public static string Method(string? method) => method switch
    {
        null or "" => "—",
        "card" => "Card",
        "bank_transfer" => "Bank transfer",
        "direct_debit" => "Direct debit",
        "cheque" => "Cheque",
        "cash" => "Cash",
        "other" => "Other",
        _ => method,
    };
}
