namespace Dunwell.Features.Templates;

/// <summary>
/// What a message is for. The key is the outbox's TemplateKey, so the messages arrangements already queue
/// ("arrangement-recap", "instalment-reminder", "fee-waiver-confirmation") find their templates by it.
/// </summary>
public static class TemplatePurposes
{
    public const string ArrangementRecap = "arrangement-recap";
    public const string InstalmentReminder = "instalment-reminder";
    public const string FeeWaiverConfirmation = "fee-waiver-confirmation";
    public const string FinalNotice = "final-notice";
    public const string InvoiceCopy = "invoice-copy";
    public const string ValidationNotice = "validation-notice";

    /// <summary>Every purpose, with what it is for in words (for the templates page).</summary>
    public static IReadOnlyDictionary<string, string> All { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["pre-due-reminder"] = "A reminder a few days before the due date",
        ["due-day-reminder"] = "A reminder on the due date",
        ["friendly-overdue"] = "The first note once a payment is late",
        ["firm-overdue"] = "A clearer note when a payment stays late",
        [FinalNotice] = "The last notice before an enabled escalation (only when one is enabled)",
        ["promise-confirmation"] = "Confirms a promise to pay",
        ["promise-reminder"] = "Reminds of a promise to pay",
        ["broken-promise"] = "A promised payment did not arrive",
        ["plan-confirmation"] = "Confirms a payment plan",
        [InstalmentReminder] = "Reminds of the next plan payment",
        ["missed-instalment"] = "A plan payment did not arrive",
        ["payment-receipt"] = "Thanks for a payment received",
        ["dispute-acknowledgement"] = "Confirms a dispute was received",
        ["verification-sent"] = "Says the verification of a disputed debt was sent",
        [ArrangementRecap] = "The recap after a call that agreed something",
        [FeeWaiverConfirmation] = "Confirms fees or interest were waived",
        [InvoiceCopy] = "A copy of the invoice or statement, on request",
        [ValidationNotice] = "The Regulation F validation notice (US consumer debts)",
    };

    public static bool Exists(string purpose) => All.ContainsKey(purpose);
}
