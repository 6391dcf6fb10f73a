using Dunwell.Data;
using Dunwell.Domain.Accounts;
using Dunwell.Domain.Amounts;
using Dunwell.Domain.Arrangements;
using Dunwell.Domain.Ledger;
using Dunwell.Domain.Messages;
using Dunwell.Features.Accounts;
using Dunwell.Features.Arrangements;
using Dunwell.Features.Charges;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Dunwell.Features.Templates;

/// <summary>
/// Everything a template may say about one account at one instant, as Liquid variables (docs/templates.md lists
/// them). The figures come from the same code the account page uses: the balance and ledger from
/// <see cref="AccountQueries"/>, the itemised charges from <see cref="ChargeSheet"/>, the offers from the options
/// engine through <see cref="ArrangementContext"/>; nothing is recomputed here. Amounts and dates are already written
/// for the reader, in the message's language.
/// </summary>
public static class MergeData
{
    public sealed record Loaded(IReadOnlyDictionary<string, object?> Values, BlockFacts Blocks, AccountView Account, IReadOnlyList<Consequence> Consequences);

    public static async Task<Loaded?> LoadAsync(
        DunwellDb db, long accountId, string language, TemplateChannel channel, long? arrangementId, Instant now, IDateTimeZoneProvider zones,
        CancellationToken cancellationToken)
    {
        var view = await AccountQueries.GetAsync(db, accountId, now, zones, cancellationToken);
        if (view is null)
        {
            return null;
        }

        var creditor = await db.Creditors.AsNoTracking().SingleAsync(c => c.Id == view.Creditor.Id, cancellationToken);
        var sheet = await ChargeSheet.ForAccountAsync(db, accountId, null, now, zones, cancellationToken);
        var context = await ArrangementContext.LoadAsync(db, accountId, now, null, zones, cancellationToken);
        var arrangement = await ArrangementAsync(db, accountId, arrangementId, cancellationToken);
        var consequences = EnabledConsequences.Of(context?.Policy.Policy, view);

        var us = creditor.JurisdictionPack == PackBlocks.UsPack || view.Debtor.Country == "US";
        var currency = Currency.Of(view.Currency);
        var culture = TemplateLanguage.Culture(language, us);
        string Money(long minor) => MoneyText.Written(minor, currency, culture);
        string Date(LocalDate date) => TemplateLanguage.Date(date, language, us);

        var business = creditor.DisplayName ?? creditor.Name;
        var email = creditor.ContactEmail ?? creditor.SenderEmail ?? "";
        var phone = creditor.ContactPhone ?? "";
        // Before the notice goes the period is not stored yet: it ends as it will if the notice is provided today.
        var validationEnd = view.ValidationPeriodEnd
            ?? (us && view.Kind == AccountKind.Consumer ? Domain.Compliance.RegulationF.ValidationPeriodEnd(view.Today) : null);
        var periodEnd = validationEnd is { } end && end >= view.Today ? Date(end) : null;
        // The pack that governs this debt, as the compliance engine and the linter choose it (a US consumer is under the US pack).
        var pack = Compliance.ContactQuestion.PackFor(creditor.JurisdictionPack, view.Kind, view.Debtor.Country);
        var blocks = new BlockFacts(pack, view.Kind, language, channel, periodEnd, email, phone);

        var offers = context is null ? [] : context.OffersFor(Roles.Agent).Where(o => !o.Decision.NeedsApproval).Select(o => o.Offer).ToList();
        var values = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["debtor"] = Debtor(view.Debtor),
            ["account"] = Account(view, Date, validationEnd),
            ["balance"] = Balance(view.Balance, Money),
            ["charges"] = sheet is null ? new List<object?>() : sheet.Lines.Select(l => (object?)Map(
                ("rule", l.Rule), ("explanation", l.Explanation), ("from", Date(l.From)), ("through", Date(l.Through)), ("amount", Money(l.AmountMinor)))).ToList(),
            ["itemization"] = Itemization(view, Money, Date),
            ["offers"] = offers.Select(o => (object?)Map(
                ("kind", Kebab(o.Kind.ToString())), ("summary", o.Summary), ("total", Money(o.TotalPayable.Minor)), ("discount", Money(o.Discount.Minor)),
                ("pay_by", Date(o.PayBy)), ("instalments", Instalments(o.Instalments.Select(i => (i.Number, i.DueOn, i.Amount.Minor)), Money, Date)))).ToList(),
            ["arrangement"] = arrangement is null ? NoArrangement() : Arrangement(arrangement, view.Today, Money, Date),
            ["creditor"] = Map(
                ("name", business), ("legal_name", creditor.Name), ("contact_email", email), ("contact_phone", phone),
                ("postal_address", creditor.PostalAddress ?? ""), ("website", creditor.Website ?? ""), ("sender_name", creditor.SenderName ?? business),
                ("accent_colour", creditor.AccentColour is { Length: > 0 } colour ? colour : "#1f4e79")),
            ["how_to_pay"] = Phrases.HowToPay(language, view.Reference, creditor.Website, phone),
            ["how_to_dispute"] = Phrases.HowToDispute(language, creditor.PostalAddress, email),
            ["contact_preferences"] = Phrases.ContactPreferences(language, email, phone),
            ["consequences"] = consequences.Select(c => (object?)EnabledConsequences.Name(c)).ToList(),
            ["escalation"] = Map([.. Enum.GetValues<Consequence>().Select(c => (EnabledConsequences.Name(c), (object?)consequences.Contains(c))),
                ("enabled", consequences.Count > 0)]),
            ["required"] = PackBlocks.For(blocks).ToDictionary(b => b.Key, b => (object?)b.Value, StringComparer.Ordinal),
            ["today"] = Date(view.Today),
            ["language"] = language,
        };
        return new Loaded(values, blocks, view, consequences);
    }

    private static Dictionary<string, object?> Map(params (string Key, object? Value)[] entries) =>
        entries.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);

    private static Dictionary<string, object?> Debtor(DebtorView d)
    {
        var first = d.Kind == DebtorKind.Person ? d.Name.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? d.Name : d.Name;
        var lines = new[] { d.AddressLine1, d.AddressLine2, string.Join(" ", new[] { d.City, d.Region, d.PostalCode }.Where(p => !string.IsNullOrWhiteSpace(p))) }
            .Where(l => !string.IsNullOrWhiteSpace(l)).Select(l => (object?)l).ToList();
        return Map(("name", d.Name), ("first_name", first), ("reference", d.Reference), ("company", d.Kind == DebtorKind.Company),
            ("address_lines", lines), ("country", d.Country));
    }

    private static Dictionary<string, object?> Account(AccountView v, Func<LocalDate, string> date, LocalDate? validationEnd) => Map(
        ("reference", v.Reference), ("kind", v.Kind == AccountKind.Commercial ? "commercial" : "consumer"), ("commercial", v.Kind == AccountKind.Commercial),
        ("currency", v.Currency), ("due_date", date(v.DueDate)), ("days_past_due", v.DaysPastDue), ("overdue", v.DaysPastDue > 0),
        ("original_creditor", v.OriginalCreditor ?? v.Creditor.Name), ("time_barred", v.TimeBarred),
        ("validation_period_end", validationEnd is { } end ? date(end) : ""),
        ("disputed", v.Disputes.Any(d => d.Open)));

    private static Dictionary<string, object?> Balance(Components b, Func<long, string> money) => Map(
        ("principal", money(b.Principal)), ("interest", money(b.Interest)), ("fees", money(b.Fees)), ("total", money(b.Total)),
        ("has_interest", b.Interest != 0), ("has_fees", b.Fees != 0), ("owing", b.Total > 0));

    /// <summary>
    /// Regulation F's itemisation: the amount on the itemisation date and, since then, interest, fees, payments and
    /// credits, so that current = amount + interest + fees − payments − credits (all from the account page's ledger).
    /// </summary>
    private static Dictionary<string, object?> Itemization(AccountView v, Func<long, string> money, Func<LocalDate, string> date)
    {
        var on = v.ItemizationDate ?? v.DueDate;
        long atDate = 0, interest = 0, fees = 0, payments = 0, credits = 0;
        foreach (var line in v.Ledger)
        {
            if (line.ValueDate <= on)
            {
                atDate += line.Amount.Total;
            }
            else if (line.Kind == LedgerEntryKind.Payment)
            {
                payments -= line.Amount.Total;
            }
            else if (line.Amount.Total < 0)
            {
                credits -= line.Amount.Total;
            }
            else
            {
                interest += line.Amount.Interest;
                fees += line.Amount.Fees + line.Amount.Principal;
            }
        }

        return Map(("date", date(on)), ("amount", money(atDate)), ("interest", money(interest)), ("fees", money(fees)),
            ("payments", money(payments)), ("credits", money(credits)), ("current", money(v.Balance.Total)));
    }

    private static async Task<Arrangement?> ArrangementAsync(DunwellDb db, long accountId, long? arrangementId, CancellationToken cancellationToken)
    {
        var query = db.Arrangements.AsNoTracking().Include(a => a.Instalments).Where(a => a.AccountId == accountId);
        return arrangementId is { } id
            ? await query.SingleOrDefaultAsync(a => a.Id == id, cancellationToken)
            : await query.Where(a => a.State == ArrangementState.Active).OrderByDescending(a => a.Id).FirstOrDefaultAsync(cancellationToken);
    }

    private static Dictionary<string, object?> Arrangement(Arrangement a, LocalDate today, Func<long, string> money, Func<LocalDate, string> date)
    {
        var instalments = a.Instalments.OrderBy(i => i.Number).ToList();
        var next = instalments.FirstOrDefault(i => i.DueOn >= today) ?? instalments.LastOrDefault();
        return Map(("exists", true), ("kind", Kebab(a.Kind.ToString())), ("state", Kebab(a.State.ToString())), ("summary", ProposeArrangement.Describe(a)),
            ("total", money(a.TotalMinor)), ("discount", money(a.DiscountMinor)), ("waived", money(a.FeeWaiverMinor)),
            ("frequency", a.Frequency is { } f ? f.ToString().ToLowerInvariant() : ""), ("count", instalments.Count),
            ("instalments", Instalments(instalments.Select(i => (i.Number, i.DueOn, i.AmountMinor)), money, date)),
            ("next", next is null ? Map(("number", 0)) : Map(("number", next.Number), ("due_on", date(next.DueOn)), ("amount", money(next.AmountMinor)))));
    }

    /// <summary>Every arrangement field, blank: a preview against an account without one still renders, and shows the gaps.</summary>
    private static Dictionary<string, object?> NoArrangement() => Map(("exists", false), ("kind", ""), ("state", ""), ("summary", ""), ("total", ""),
        ("discount", ""), ("waived", ""), ("frequency", ""), ("count", 0), ("instalments", new List<object?>()),
        ("next", Map(("number", 0), ("due_on", ""), ("amount", ""))));

    private static List<object?> Instalments(IEnumerable<(int Number, LocalDate DueOn, long Minor)> instalments, Func<long, string> money, Func<LocalDate, string> date) =>
        [.. instalments.Select(i => (object?)Map(("number", i.Number), ("due_on", date(i.DueOn)), ("amount", money(i.Minor))))];

    private static string Kebab(string name) =>
        string.Concat(name.Select((c, i) => char.IsUpper(c) ? (i > 0 ? "-" : "") + char.ToLowerInvariant(c) : c.ToString()));
}
