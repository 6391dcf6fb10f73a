using Dunwell.Domain.Accounts;
using Dunwell.Features.Accounts;
using Dunwell.Web;

namespace Dunwell.Features.Disputes;

/// <summary>
/// A dispute on the wire. <see cref="Amount"/> is null when the whole debt is disputed; the dispute is open until
/// verification (US) or the outcome of the investigation (UK) is sent, at <see cref="VerifiedAt"/>.
/// </summary>
public sealed record DisputeResponse(
    long Id,
    long AccountId,
    DateTimeOffset ReceivedAt,
    bool Written,
    bool WholeDebt,
    MoneyAmount? Amount,
    string? Note,
    bool Open,
    DateTimeOffset? VerifiedAt,
    string? VerifiedBy,
    string RecordedBy,
    DateTimeOffset RecordedAt)
{
    public static DisputeResponse From(long accountId, DisputeLine d, string currency) => new(
        d.Id,
        accountId,
        d.ReceivedAt.ToDateTimeOffset(),
        d.Written,
        d.AmountMinor is null,
        d.AmountMinor is { } amount ? MoneyAmount.Of(amount, currency) : null,
        d.Note,
        d.Open,
        d.VerifiedAt?.ToDateTimeOffset(),
        d.VerifiedBy,
        d.RecordedBy,
        d.RecordedAt.ToDateTimeOffset());
}

/// <summary>
/// An account's disputes: how many are open and verified, whether an open one covers the whole debt, how much of the
/// balance is disputed and waiting for verification (<see cref="OpenAmount"/>), and each dispute, newest received first.
/// </summary>
public sealed record DisputeSummary(int Open, int Verified, bool WholeDebtOpen, MoneyAmount OpenAmount, IReadOnlyList<DisputeResponse> Items)
{
    public static DisputeSummary From(long accountId, IReadOnlyList<DisputeLine> disputes, long balanceMinor, string currency) => new(
        disputes.Count(d => d.Open),
        disputes.Count(d => !d.Open),
        disputes.Any(d => d.Open && DisputeRules.CoversWholeDebt(d.AmountMinor, balanceMinor)),
        MoneyAmount.Of(DisputeRules.OpenAmount(disputes.Select(d => new DisputeState(d.AmountMinor, !d.Open)), balanceMinor), currency),
        [.. disputes.Select(d => DisputeResponse.From(accountId, d, currency))]);
}

/// <summary>What a dispute write returns: the dispute as it now stands and the account's status after it.</summary>
public sealed record DisputeChange(DisputeResponse Dispute, AccountStatus AccountStatus);
