using System.Threading.Channels;
using nietras.SeparatedValues;

namespace Dunwell.Features.Imports;

/// <summary>
/// The columns a file kind knows: names exactly as in DESIGN §5.4, and which must be present in the header.
/// <paramref name="Keys"/> are the identifiers later files match (a card number in one refuses the row: masking could
/// merge two); every other column has card numbers masked before the row is checked (<see cref="CardNumberScreen"/>).
/// </summary>
internal sealed record ColumnSet(IReadOnlyList<string> Names, IReadOnlySet<string> Required, IReadOnlySet<string> Keys)
{
    public int IndexOf(string name)
    {
        for (var i = 0; i < Names.Count; i++)
        {
            if (string.Equals(Names[i], name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(name), name, "not a column of this file kind");
    }
}

/// <summary>One data row after the shape checks: the parsed row, or the reasons it is bad; and where card numbers were masked.</summary>
internal readonly record struct Parsed<TRow>(int Line, TRow? Row, IReadOnlyList<RowError>? Errors, IReadOnlyList<RowError>? Masked = null)
    where TRow : class;

/// <summary>One data row as read: its trimmed values in <see cref="ColumnSet"/> order (null when blank), or why it cannot be read.</summary>
internal readonly record struct RawRow(int Line, string?[]? Values, IReadOnlyList<RowError>? Errors);

/// <summary>What the header said: where each known column is, what is missing, what is ignored.</summary>
internal sealed record HeaderMap(int[] Positions, int FieldCount, IReadOnlyList<RowError> Errors, IReadOnlyList<string> Warnings);

/// <summary>
/// Reads an RFC 4180 file (UTF-8 with or without BOM, CRLF or LF, quoted fields with separators and line breaks) with Sep
/// and hands raw rows on in chunks; the row checks run on other threads (<see cref="ImportRunner"/>).
/// </summary>
internal static class CsvChunks
{
    public const int ChunkSize = 4096;

    public static HeaderMap MapHeader(IReadOnlyList<string> header, ColumnSet columns)
    {
        var positions = Enumerable.Repeat(-1, columns.Names.Count).ToArray();
        var unknown = new List<string>();
        var duplicates = new List<string>();
        var warnings = new List<string>();
        for (var i = 0; i < header.Count; i++)
        {
            var name = header[i].Trim().TrimStart('\uFEFF');
            var known = -1;
            for (var c = 0; c < columns.Names.Count; c++)
            {
                if (string.Equals(columns.Names[c], name, StringComparison.Ordinal))
                {
                    known = c;
                    break;
                }
            }

            if (known < 0)
            {
                unknown.Add(name.Length == 0 ? $"(blank, column {i + 1})" : name);
            }
            else if (positions[known] >= 0)
            {
                duplicates.Add(name);
            }
            else
            {
                positions[known] = i;
            }
        }

        if (unknown.Count > 0)
        {
            warnings.Insert(0, $"Unknown columns ignored: {string.Join(", ", unknown)}.");
        }

        var errors = columns.Names
            .Where((name, c) => positions[c] < 0 && columns.Required.Contains(name))
            .Select(name => new RowError(1, name, "Required column is missing from the header."))
            .Concat(duplicates.Distinct().Select(name => new RowError(1, name, "Column appears more than once in the header, so which value to use is ambiguous.")))
            .ToList();
        return new HeaderMap(positions, header.Count, errors, warnings);
    }

    /// <summary>
    /// Reads the header and every row and writes them in chunks to <paramref name="output"/>.
    /// Returns the header map; when it has errors no rows are read.
    /// </summary>
    public static async Task<HeaderMap> ReadAsync(Stream stream, ColumnSet columns, ChannelWriter<List<RawRow>> output, CancellationToken cancellationToken)
    {
        try
        {
            // The header is read as a plain row: Sep's own header refuses repeated or blank names before we can report them.
            using var reader = await Sep.Reader(o => o with
            {
                Sep = new Sep(','),
                HasHeader = false,
                Unescape = true,
                DisableColCountCheck = true,
                DisableFastFloat = true,
                CultureInfo = System.Globalization.CultureInfo.InvariantCulture,
            }).FromAsync(stream, cancellationToken);

            await using var rows = reader.GetAsyncEnumerator(cancellationToken);
            if (!await rows.MoveNextAsync() || IsBlank(rows.Current))
            {
                return new HeaderMap([], 0, [new RowError(1, "header", "The file is empty: no header line.")], []);
            }

            var names = new List<string>(rows.Current.ColCount);
            for (var i = 0; i < rows.Current.ColCount; i++)
            {
                names.Add(rows.Current[i].ToString());
            }

            var header = MapHeader(names, columns);
            if (header.Errors.Count > 0)
            {
                return header;
            }

            var chunk = new List<RawRow>(ChunkSize);
            while (await rows.MoveNextAsync())
            {
                var parsed = ReadRow(rows.Current, header, columns);
                if (parsed is { } value)
                {
                    chunk.Add(value);
                }

                if (chunk.Count == ChunkSize)
                {
                    await output.WriteAsync(chunk, cancellationToken);
                    chunk = new List<RawRow>(ChunkSize);
                }
            }

            if (chunk.Count > 0)
            {
                await output.WriteAsync(chunk, cancellationToken);
            }

            return header;
        }
        finally
        {
            output.TryComplete();
        }
    }

    private static bool IsBlank(SepReader.Row row) => row.ColCount == 1 && row[0].Span.Trim().IsEmpty;

    private static RawRow? ReadRow(SepReader.Row row, HeaderMap header, ColumnSet columns)
    {
        var line = row.LineNumberFrom;
        if (IsBlank(row))
        {
            return null; // a blank line, typically at the end of the file
        }

        if (row.ColCount != header.FieldCount)
        {
            return new RawRow(line, null, [new RowError(line, "row", string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"The row has {row.ColCount} fields; the header has {header.FieldCount}."))]);
        }

        var values = new string?[columns.Names.Count];
        for (var c = 0; c < values.Length; c++)
        {
            var position = header.Positions[c];
            if (position >= 0)
            {
                var span = row[position].Span.Trim();
                values[c] = span.IsEmpty ? null : span.ToString();
            }
        }

        return new RawRow(line, values, null);
    }
}
