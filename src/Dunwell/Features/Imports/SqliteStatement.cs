using System.Buffers;
using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Dunwell.Features.Imports;

/// <summary>
/// A statement prepared once on an open SQLite connection (inside its transaction) and bound by position. The bulk
/// import's write stage spent about 40% of its time in Microsoft.Data.Sqlite's binding, which looks every parameter up
/// by name and converts the name to UTF-8 on every execution. Values are stored exactly as Microsoft.Data.Sqlite (and
/// so EF Core) stores them: integers, UTF-8 text, blobs, DateTime as "yyyy-MM-dd HH:mm:ss.FFFFFFF", DateOnly as "yyyy-MM-dd".
/// </summary>
internal sealed class SqliteStatement : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;
    private readonly int[] _positions;

    /// <summary>Prepares <paramref name="sql"/>, whose parameters are named @p0 … @p(<paramref name="parameters"/> - 1).</summary>
    public SqliteStatement(SqliteConnection connection, string sql, int parameters)
    {
        ArgumentNullException.ThrowIfNull(connection);
        _db = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        Check(raw.sqlite3_prepare_v2(_db, sql, out _statement));
        _positions = new int[parameters];
        for (var i = 0; i < parameters; i++)
        {
            // Looked up once here: SQLite numbers parameters by first use, which need not be @p0 first.
            _positions[i] = raw.sqlite3_bind_parameter_index(_statement, string.Create(CultureInfo.InvariantCulture, $"@p{i}"));
            if (_positions[i] == 0)
            {
                throw new ArgumentException($"The statement has no parameter @p{i}.", nameof(sql));
            }
        }
    }

    /// <summary>Binds <paramref name="values"/> to @p0, @p1… and runs the statement.</summary>
    public void Execute(ReadOnlySpan<object?> values)
    {
        if (values.Length != _positions.Length)
        {
            throw new ArgumentException($"Expected {_positions.Length} values, got {values.Length}.", nameof(values));
        }

        try
        {
            for (var i = 0; i < values.Length; i++)
            {
                Bind(_positions[i], values[i]);
            }

            var rc = raw.sqlite3_step(_statement);
            if (rc != raw.SQLITE_DONE && rc != raw.SQLITE_ROW)
            {
                Check(rc);
            }
        }
        finally
        {
            raw.sqlite3_reset(_statement);
        }
    }

    public void Dispose() => _statement.Dispose();

    private void Bind(int index, object? value)
    {
        var rc = value switch
        {
            null or DBNull => raw.sqlite3_bind_null(_statement, index),
            long number => raw.sqlite3_bind_int64(_statement, index, number),
            int number => raw.sqlite3_bind_int64(_statement, index, number),
            string text => BindText(index, text),
            byte[] bytes => raw.sqlite3_bind_blob(_statement, index, bytes),
            DateTime time => BindText(index, time.ToString(@"yyyy\-MM\-dd HH\:mm\:ss.FFFFFFF", CultureInfo.InvariantCulture)),
            DateOnly date => BindText(index, date.ToString(@"yyyy\-MM\-dd", CultureInfo.InvariantCulture)),
            _ => throw new NotSupportedException($"No SQLite binding for {value.GetType()}."),
        };
        Check(rc);
    }

    private int BindText(int index, string text)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(text.Length));
        try
        {
            var length = Encoding.UTF8.GetBytes(text, buffer);
            return raw.sqlite3_bind_text(_statement, index, buffer.AsSpan(0, length)); // SQLite copies it
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            throw new SqliteException(raw.sqlite3_errmsg(_db).utf8_to_string(), rc, raw.sqlite3_extended_errcode(_db));
        }
    }
}
