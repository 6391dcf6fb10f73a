using Dunwell.Domain.Amounts;
using Dunwell.Domain.Ledger;

namespace Dunwell.Web;

/// <summary>Money on the wire: decimal strings in major units with the currency code, never floats.</summary>
public sealed record MoneyBreakdown(string Currency, string Total, string Principal, string Interest, string Fees)
{
    public static MoneyBreakdown Of(Components amount, string currency)
    {
        var exponent = Dunwell.Domain.Amounts.Currency.Of(currency).Exponent;
        return new MoneyBreakdown(
            currency,
            MoneyText.Format(amount.Total, exponent),
            MoneyText.Format(amount.Principal, exponent),
            MoneyText.Format(amount.Interest, exponent),
            MoneyText.Format(amount.Fees, exponent));
    }
}

/// <summary>One amount on the wire: {"currency":"USD","amount":"25.00"}.</summary>
public sealed record MoneyAmount(string Currency, string Amount)
{
    public static MoneyAmount Of(long minor, string currency) =>
        new(currency, MoneyText.Format(minor, Dunwell.Domain.Amounts.Currency.Of(currency).Exponent));
}
