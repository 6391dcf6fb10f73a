using Dunwell.Domain.Privacy;

namespace Dunwell.Features.Imports;

/// <summary>
/// The import's side of "no card numbers, ever": the bulk path writes without EF Core (so without DunwellDb's masking),
/// so every value of a row is screened as it is read. A card number in a key column refuses the row; anywhere else it is
/// masked in place and reported by line and column.
/// </summary>
internal static class CardNumberScreen
{
    public static (IReadOnlyList<RowError>? Masked, IReadOnlyList<RowError>? Refused) Apply(int line, string?[] values, ColumnSet columns)
    {
        List<RowError>? masked = null;
        List<RowError>? refused = null;
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i] is not { } value || CardNumbers.Mask(value) is var safe && ReferenceEquals(safe, value))
            {
                continue;
            }

            values[i] = safe;
            var column = columns.Names[i];
            if (columns.Keys.Contains(column))
            {
                (refused ??= []).Add(new RowError(line, column,
                    $"'{safe}' holds a card number, which Dunwell never stores; a reference is matched by later files, so it cannot be masked. Use another reference."));
            }
            else
            {
                (masked ??= []).Add(new RowError(line, column, CardNumbers.Reason));
            }
        }

        return (masked, refused);
    }
}
