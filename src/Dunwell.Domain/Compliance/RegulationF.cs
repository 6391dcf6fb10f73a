using System.Globalization;
using Dunwell.Domain.Accounts;
using NodaTime;

namespace Dunwell.Domain.Compliance;

/// <summary>Regulation F's dates: validation period, validation notice deadline, record retention, and when a debt may first be reported to a credit bureau.</summary>
public static class RegulationF
{
    /// <summary>
    /// The validation period end date (12 CFR 1006.34(b)(5)): receipt is assumed five business days after the notice
    /// was provided (no Saturdays, Sundays or legal public holidays), and the period ends 30 days after receipt.
    /// Mailed Monday 2 March 2026: assumed received 9 March, ends 8 April. Compute once and print it on the notice.
    /// </summary>
    public static LocalDate ValidationPeriodEnd(LocalDate providedOn, UsFdcpaPack? pack = null)
    {
        pack ??= RulePacks.Default.Us;
        var receipt = UsCalendar.AddBusinessDays(providedOn, pack.ReceiptBusinessDays, pack.ObservedHolidaysAreNotBusinessDays);
        return receipt.PlusDays(pack.ValidationPeriodDays);
    }

    /// <summary>The last day to provide the validation notice after an initial communication that did not include it (1006.34(a)(1)(i)(B)).</summary>
    public static LocalDate ValidationNoticeDueBy(LocalDate initialCommunication, UsFdcpaPack? pack = null) =>
        initialCommunication.PlusDays((pack ?? RulePacks.Default.Us).ValidationNoticeDays);

    /// <summary>
    /// Keep records about a debt until this date: three years after the last communication or attempt (1006.100(a)).
    /// A 29 February start keeps until 1 March, never a day short.
    /// </summary>
    public static LocalDate KeepRecordsUntil(LocalDate lastCommunicationOrAttempt, UsFdcpaPack? pack = null) =>
        YearsLater(lastCommunicationOrAttempt, (pack ?? RulePacks.Default.Us).RecordRetentionYears);

    /// <summary>Keep a call recording until this date: three years after the call (1006.100(b)).</summary>
    public static LocalDate KeepRecordingUntil(LocalDate callDate, UsFdcpaPack? pack = null) =>
        YearsLater(callDate, (pack ?? RulePacks.Default.Us).RecordRetentionYears);

    private static LocalDate YearsLater(LocalDate from, int years)
    {
        var later = from.PlusYears(years);
        return later.Day == from.Day ? later : later.PlusDays(1);
    }

    /// <summary>
    /// Passive credit reporting (12 CFR 1006.30(a)): a debt may be furnished to a consumer reporting agency only after
    /// the collector spoke to the consumer about it, or mailed a letter or sent a message about it and waited a
    /// reasonable period (14 days, the day after sending being day 1) without an undeliverable notice. A debt under a
    /// dispute hold is not furnished at all.
    /// </summary>
    public static ContactDecision MayFurnish(AccountFacts account, DebtorFacts debtor, IReadOnlyList<ContactEvent> history, Instant at, UsFdcpaPack? pack = null)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(history);
        pack ??= RulePacks.Default.Us;
        const string Rule = "us.reg-f.passive-credit-reporting";
        const string Citation = "12 CFR 1006.30(a)(1)";
        var request = new ContactRequest(at, ContactChannel.Letter, null, ContactPurpose.Collection, debtor, [account], history);
        var evaluation = new Evaluation(request, pack, null);
        var zones = evaluation.Zones;
        var about = evaluation.Before(at).Where(h => h.IsAbout(account.Id)).ToList();
        var reasons = new List<Reason>();
        var untils = new List<Instant>();
        string? why = null;

        var spoke = about.Any(h => h.Result == ContactResult.Conversation);
        if (!spoke)
        {
            Instant? earliest = null;
            foreach (var sent in about.Where(h => h.Direction == InteractionDirection.Outbound && h.Result == ContactResult.Sent))
            {
                var bounced = about.Any(b => b.Result == ContactResult.Undeliverable && b.At >= sent.At && b.Channel == sent.Channel
                    && (b.ContactId is null || sent.ContactId is null || b.ContactId == sent.ContactId));
                if (!bounced)
                {
                    var from = zones.Max(z => LocalTimeSearch.StartOfDay(sent.At.InZone(z).Date.PlusDays(pack.PassiveReportingWaitDays + 1), z));
                    earliest = earliest is { } e ? Instant.Min(e, from) : from;
                }
            }

            if (earliest is null)
            {
                reasons.Add(new Reason(Rule, Citation, $"Nobody has spoken to the consumer about account {account.Id}, and no letter or message about it went out without coming back."));
                why = "Speak to the consumer, or mail a letter or send a message about the debt and wait for an undeliverable notice.";
            }
            else if (at < earliest)
            {
                reasons.Add(new Reason(Rule, Citation, string.Create(CultureInfo.InvariantCulture,
                    $"A letter or message about account {account.Id} went out, but the {pack.PassiveReportingWaitDays}-day wait for an undeliverable notice has not passed.")));
                untils.Add(earliest.Value);
            }
        }

        foreach (var dispute in pack.Holds(account, evaluation, at).Where(d => !UsFdcpaPack.IsPartial(d, account)))
        {
            reasons.Add(new Reason("us.reg-f.dispute-hold", "12 CFR 1006.38(d)(2)",
                $"The consumer disputed account {account.Id} in writing on {evaluation.Date(dispute.ReceivedAt)}, {pack.PeriodText(account, evaluation)}; nothing is furnished until verification is sent."));
            if (dispute.VerifiedAt is { } verified)
            {
                untils.Add(verified);
            }
            else
            {
                why = UsFdcpaPack.VerificationAwaited;
            }
        }

        var allowed = reasons.Count == 0;
        var next = allowed || why is not null ? (Instant?)null : untils.Max();
        var obligations = account.Disputes.Any(d => d.OpenAt(at))
            ? [new Obligation("us.reg-f.disputed-debt", "15 U.S.C. 1692e(8); 12 CFR 1006.18(c)(3)", ObligationKind.Requirement, "Report the debt as disputed.")]
            : Array.Empty<Obligation>();
        return new ContactDecision(allowed, reasons, next, allowed ? null : why)
        {
            Obligations = obligations,
            PackId = pack.Id,
            PackVersion = pack.Version,
            Zones = [.. zones.Select(z => z.Id)],
        };
    }
}
