using Dunwell.Domain.Amounts;
using Dunwell.Domain.Inputs;
using Dunwell.Features.Payments;
using NodaTime;
using NodaTime.Text;

namespace Dunwell.Features.Imports;

/// <summary>A payment row that passed every check that needs no database.</summary>
public sealed record PaymentRow(int Line, string AccountRef, long AmountMinor, string Currency, LocalDate PaidOn, string? Method, string Reference)
{
    /// <summary>The row says the amount may be more than the balance, leaving the account in credit.</summary>
    public bool Overpayment { get; init; }
}

/// <summary>
/// The payment file (DESIGN §5.4): <c>account_ref, amount, currency, paid_at, method, reference</c>, and an optional
/// <c>overpayment</c> column (<c>true</c> lets a row pay more than the balance). A reference posts once per creditor.
/// </summary>
public static class PaymentCsv
{
    public const string AccountRef = "account_ref";
    public const string Amount = "amount";
    public const string Currency = "currency";
    public const string PaidAt = "paid_at";
    public const string Method = "method";
    public const string Reference = "reference";
    public const string Overpayment = "overpayment";

    public static IReadOnlyList<string> Header { get; } = [AccountRef, Amount, Currency, PaidAt, Method, Reference];

    internal static ColumnSet Columns { get; } = new([.. Header, Overpayment], new HashSet<string>(StringComparer.Ordinal) { AccountRef, Amount, Currency, PaidAt, Reference },
        new HashSet<string>(StringComparer.Ordinal) { AccountRef });

    /// <summary>Checks one row (values in <see cref="Header"/> order, then <c>overpayment</c> when given). <paramref name="today"/> bounds the payment date.</summary>
    public static (PaymentRow? Row, IReadOnlyList<RowError> Errors) Parse(int line, IReadOnlyList<string?> values, LocalDate today)
    {
        ArgumentNullException.ThrowIfNull(values);
        var errors = new List<RowError>();

        var accountRef = values[0];
        if (accountRef is null)
        {
            errors.Add(new RowError(line, AccountRef, "A value is required."));
        }

        var currencyText = values[2]?.ToUpperInvariant();
        Currency? currency = null;
        if (currencyText is null)
        {
            errors.Add(new RowError(line, Currency, "A value is required."));
        }
        else if (Dunwell.Domain.Amounts.Currency.TryParse(currencyText, out var known))
        {
            currency = known;
        }
        else
        {
            errors.Add(new RowError(line, Currency, $"'{values[2]}' is not an ISO 4217 currency code."));
        }

        var amount = PlacementCsv.ParseAmount(values[1], Amount, currency, line, errors);
        if (amount == 0 && currency is not null && values[1] is not null && !errors.Any(e => e.Column == Amount))
        {
            errors.Add(new RowError(line, Amount, "A payment must be more than zero."));
        }

        var paidOn = ParsePaidAt(values[3], line, errors);
        if (paidOn is { } given && Plausible.DateProblem(given) is { } outside)
        {
            errors.Add(new RowError(line, PaidAt, $"'{values[3]}' {outside}."));
        }
        else if (paidOn > today.PlusDays(1))
        {
            errors.Add(new RowError(line, PaidAt, "A payment date cannot be in the future."));
        }

        var method = values[4]?.ToLowerInvariant();
        if (method is not null && !PostPayment.Methods.Contains(method))
        {
            errors.Add(new RowError(line, Method, $"'{values[4]}' is not one of: {string.Join(", ", PostPayment.Methods)}."));
        }

        var reference = values[5];
        if (reference is null)
        {
            errors.Add(new RowError(line, Reference, "A value is required: the reference makes the payment post once."));
        }
        else if (reference.Length > 128)
        {
            errors.Add(new RowError(line, Reference, "Longer than 128 characters."));
        }

        var overpayment = false;
        if (values.Count > 6 && values[6] is { } said)
        {
            switch (said.ToLowerInvariant())
            {
                case "true" or "yes" or "1":
                    overpayment = true;
                    break;
                case "false" or "no" or "0":
                    break;
                default:
                    errors.Add(new RowError(line, Overpayment, $"'{said}' is not true or false."));
                    break;
            }
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        return (new PaymentRow(line, accountRef!, amount, currency!.Value.Code, paidOn!.Value, method, reference!) { Overpayment = overpayment }, []);
    }

    /// <summary>ISO-8601: a date (2026-01-31), or a date and time with Z or an offset; the payment's date is the one written.</summary>
    private static LocalDate? ParsePaidAt(string? text, int line, List<RowError> errors)
    {
        if (text is null)
        {
            errors.Add(new RowError(line, PaidAt, "A value is required."));
            return null;
        }

        if (LocalDatePattern.Iso.Parse(text) is { Success: true } date)
        {
            return date.Value;
        }

        if (OffsetDateTimePattern.ExtendedIso.Parse(text) is { Success: true } withOffset)
        {
            return withOffset.Value.Date;
        }

        if (LocalDateTimePattern.ExtendedIso.Parse(text) is { Success: true } local)
        {
            return local.Value.Date;
        }

        errors.Add(new RowError(line, PaidAt, $"'{text}' is not an ISO-8601 date or date-time like 2026-01-31T14:05:00Z."));
        return null;
    }
}
