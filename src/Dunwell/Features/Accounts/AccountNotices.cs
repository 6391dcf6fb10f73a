using System.Text.Json;
using Dunwell.Domain.Arrangements;
using Dunwell.Features.CreditorPolicies;
using NodaTime;

namespace Dunwell.Features.Accounts;

/// <summary>The account page's sections that show what a form post did.</summary>
public enum NoticeSection
{
    Top,
    Disputes,
    Facts,
    Arrangements,
    Charges,
}

/// <summary>
/// The account page's words for a <see cref="Web.PageNotice"/> code: each code names a record on this account, and the
/// text says what is on file for it. A code the page does not know, or a record that is not this account's, says nothing.
/// </summary>
public static class AccountNotices
{
    public static (NoticeSection Section, string Text)? For(
        string? code, long id, bool again, AccountView view, IReadOnlyList<Data.Arrangement> arrangements, DateTimeZone zone)
    {
        var debtor = view.Debtor;
        switch (code)
        {
            case "payment" when view.Ledger.FirstOrDefault(l => l.Id == id) is { } entry:
                var paid = Show.Money(-entry.Amount.Total, view.Currency);
                return (NoticeSection.Top, again
                    ? $"That payment of {paid} was already recorded; it has not been posted twice. The balance is {Show.Balance(view.Balance.Total, view.Currency)}."
                    : $"Payment of {paid} recorded. The balance is now {Show.Balance(view.Balance.Total, view.Currency)}.");
            case "interaction" when view.Interactions.FirstOrDefault(i => i.Id == id) is { } interaction:
                return (NoticeSection.Top, $"{Show.Channel(interaction.Channel)} recorded: {Show.Outcome(interaction.Outcome).ToLowerInvariant()}.");
            case "dispute" when view.Disputes.FirstOrDefault(d => d.Id == id) is { } dispute:
                return (NoticeSection.Disputes, again
                    ? "That dispute was already recorded; it has not been recorded twice."
                    : $"Dispute recorded: {(dispute.AmountMinor is { } part ? Show.Money(part, view.Currency) : "the whole debt")}, received {Show.When(dispute.ReceivedAt, zone)}. The account is {Show.Status(view.Status).ToLowerInvariant()}.");
            case "verification" when view.Disputes.FirstOrDefault(d => d.Id == id) is { VerifiedAt: { } sent }:
                return (NoticeSection.Disputes, again
                    ? "Verification of that dispute was already recorded."
                    : $"Verification recorded as sent {Show.When(sent, zone)}. The account is {Show.Status(view.Status).ToLowerInvariant()}.");
            case "flag" when debtor.Flags.FirstOrDefault(f => f.Id == id) is { } flag:
                return (NoticeSection.Facts, $"Flag recorded: {Show.Flag(flag.Kind)} since {Show.Date(flag.Since)}{Show.Protection(flag)}.");
            case "flag-ended" when debtor.Flags.FirstOrDefault(f => f.Id == id) is { Until: { } until } ended:
                return (NoticeSection.Facts, $"{Show.Flag(ended.Kind)} ends {Show.Date(until)}.");
            case "contact" when debtor.Contacts.FirstOrDefault(c => c.Id == id) is { } contact:
                return (NoticeSection.Facts, $"Saved: {contact.Value}, {Show.Consent(contact.Consent).ToLowerInvariant()}.");
            case "times" when id == view.Id:
                return (NoticeSection.Facts, debtor.InconvenientTimes.Count == 0
                    ? "No inconvenient times are on file."
                    : $"Inconvenient times on file: {string.Join("; ", debtor.InconvenientTimes.Select(Show.InconvenientTime))}.");
            case "account-facts" when id == view.Id:
                return (NoticeSection.Facts,
                    $"On file: validation notice {(view.ValidationNoticeSentAt is { } s ? "sent " + Show.When(s, zone) : "not recorded as sent")}; limitation date {(view.LimitationDate is { } l ? Show.Date(l) : "not known")}.");
            case "arrangement" when arrangements.FirstOrDefault(a => a.Id == id) is { } arrangement:
                return (arrangement.Kind == ArrangementKind.FeeWaiver ? NoticeSection.Charges : NoticeSection.Arrangements, Describe(arrangement));
            default:
                return null;
        }
    }

    private static string Describe(Data.Arrangement arrangement)
    {
        var what = Arrangements.ProposeArrangement.Describe(arrangement);
        return arrangement.State switch
        {
            ArrangementState.PendingApproval => $"Proposed: {what}. It needs a supervisor's approval before anything is confirmed to the customer: {string.Join(" ", Findings(arrangement).Select(f => f.Message))}",
            ArrangementState.Active => $"Agreed: {what}. A recap and payment reminders are queued for the customer.",
            ArrangementState.Completed when arrangement.Kind == ArrangementKind.FeeWaiver => $"Waived: {what}. A message telling the customer what was taken off is queued, not sent.",
            var state => $"{what}: {state.ToString().ToLowerInvariant()}.",
        };
    }

    private static List<LimitFinding> Findings(Data.Arrangement arrangement) =>
        arrangement.PolicyFindingsJson is { } json ? JsonSerializer.Deserialize<List<LimitFinding>>(json, PolicyStore.Json) ?? [] : [];
}
