using Dunwell.Data;
using Dunwell.Domain.Amounts;
using Dunwell.Domain.Arrangements;
using Dunwell.Web;

namespace Dunwell.Features.Arrangements;

public sealed record InstalmentWire(int Number, DateOnly DueOn, MoneyAmount Amount);

public sealed record FindingWire(string Limit, string Message);

/// <summary>One instalment as it stands: agreed amount, what has been paid towards it, and upcoming, paid, partly paid, late or missed.</summary>
public sealed record InstalmentProgressWire(int Number, DateOnly DueOn, MoneyAmount Amount, MoneyAmount Paid, InstalmentState State);

/// <summary>How an agreed arrangement stands on a date: paid so far, still to pay, paid beyond it, missed instalments.</summary>
public sealed record ArrangementProgressWire(
    DateOnly AsOf, ArrangementState State, MoneyAmount Paid, MoneyAmount Remaining, MoneyAmount Overpaid, int Missed, IReadOnlyList<InstalmentProgressWire> Instalments)
{
    public static ArrangementProgressWire From(Arrangement a, NodaTime.LocalDate asOf, ArrangementEvaluation e)
    {
        var exponent = Currency.Of(a.Currency).Exponent;
        MoneyAmount Amount(long minor) => new(a.Currency, MoneyText.Format(minor, exponent));
        return new ArrangementProgressWire(asOf.ToDateOnly(), e.State, Amount(e.PaidMinor), Amount(Math.Max(0, a.TotalMinor - e.PaidMinor)), Amount(e.OverpaidMinor), e.Missed,
            [.. e.Instalments.OrderBy(i => i.Number).Select(i => new InstalmentProgressWire(i.Number, i.DueOn.ToDateOnly(), Amount(i.AmountMinor), Amount(i.PaidMinor), i.State))]);
    }
}

/// <summary>An arrangement on the wire: terms, schedule, state, and who made and decided it.</summary>
public sealed record ArrangementResponse(
    long Id,
    long AccountId,
    ArrangementKind Kind,
    ArrangementState State,
    MoneyAmount Total,
    MoneyAmount Discount,
    MoneyAmount FeeWaiver,
    Frequency? Frequency,
    IReadOnlyList<InstalmentWire> Instalments,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    int? PolicyVersion,
    IReadOnlyList<FindingWire> NeedsApprovalBecause,
    string? DecidedBy,
    DateTimeOffset? DecidedAt,
    string? DecisionNote)
{
    /// <summary>How it stands today (creditor's calendar), on a read of one arrangement; null while pending or cancelled.</summary>
    public ArrangementProgressWire? Progress { get; init; }

    public static ArrangementResponse From(Arrangement a, int? policyVersion, IReadOnlyList<LimitFinding> findings)
    {
        var exponent = Currency.Of(a.Currency).Exponent;
        MoneyAmount Amount(long minor) => new(a.Currency, MoneyText.Format(minor, exponent));
        return new ArrangementResponse(
            a.Id, a.AccountId, a.Kind, a.State, Amount(a.TotalMinor), Amount(a.DiscountMinor), Amount(a.FeeWaiverMinor), a.Frequency,
            [.. a.Instalments.OrderBy(i => i.Number).Select(i => new InstalmentWire(i.Number, i.DueOn.ToDateOnly(), Amount(i.AmountMinor)))],
            a.CreatedBy, a.CreatedAt.ToDateTimeOffset(), policyVersion,
            [.. findings.Select(f => new FindingWire(f.Limit, f.Message))],
            a.DecidedBy, a.DecidedAt?.ToDateTimeOffset(), a.DecisionNote);
    }
}
