using Dunwell.Data;
using Dunwell.Domain.Amounts;
using Dunwell.Domain.Arrangements;
using Dunwell.Web;

namespace Dunwell.Features.Arrangements;

public sealed record InstalmentWire(int Number, DateOnly DueOn, MoneyAmount Amount);

public sealed record FindingWire(string Limit, string Message);

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
