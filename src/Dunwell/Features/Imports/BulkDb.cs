using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Dunwell.Features.Imports;

/// <summary>
/// Plain ADO.NET for the import's bulk path, on the connection and transaction of the import. SQLite runs each statement
/// at once on a statement prepared once and bound by position (<see cref="SqliteStatement"/>; no round trips to save:
/// it is in process). PostgreSQL queues statements in an
/// <see cref="NpgsqlBatch"/> and sends them a few thousand at a time. Row ids are assigned here, so nothing waits for one.
/// </summary>
internal sealed class BulkDb : IAsyncDisposable
{
    private const int BatchLimit = 2000;
    private const int IdBlock = 1000;

    private readonly DbConnection _connection;
    private readonly DbTransaction _transaction;
    private readonly Dictionary<string, SqliteStatement> _statements = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IdRange> _ids = new(StringComparer.Ordinal);
    private NpgsqlBatch? _batch;

    public BulkDb(DbConnection connection, DbTransaction transaction)
    {
        _connection = connection;
        _transaction = transaction;
        IsPostgres = connection is NpgsqlConnection;
    }

    public bool IsPostgres { get; }

    /// <summary>Runs (SQLite) or queues (PostgreSQL) a statement whose parameters are named @p0, @p1…</summary>
    public async Task ExecuteAsync(string sql, params object?[] values)
    {
        if (_connection is NpgsqlConnection npgsql)
        {
            _batch ??= new NpgsqlBatch(npgsql, (NpgsqlTransaction)_transaction);
            var command = new NpgsqlBatchCommand(sql);
            for (var i = 0; i < values.Length; i++)
            {
                command.Parameters.Add(new NpgsqlParameter(Name(i), values[i] ?? DBNull.Value));
            }

            _batch.BatchCommands.Add(command);
            if (_batch.BatchCommands.Count >= BatchLimit)
            {
                await FlushAsync();
            }

            return;
        }

        if (!_statements.TryGetValue(sql, out var statement))
        {
            statement = new SqliteStatement((SqliteConnection)_connection, sql, values.Length);
            _statements[sql] = statement;
        }

        statement.Execute(values);
    }

    /// <summary>Sends whatever is queued, so the next query sees it.</summary>
    public async Task FlushAsync()
    {
        if (_batch is { BatchCommands.Count: > 0 } batch)
        {
            await batch.ExecuteNonQueryAsync();
            batch.BatchCommands.Clear();
        }
    }

    /// <summary>The next id for a row of <paramref name="table"/> (whose key column is <c>id</c>).</summary>
    public async Task<long> NextIdAsync(string table)
    {
        if (!_ids.TryGetValue(table, out var range) || range.Next > range.Last)
        {
            range = await ReserveAsync(table);
            _ids[table] = range;
        }

        return range.Next++;
    }

    /// <summary>Reads rows whose <paramref name="column"/> is one of <paramref name="keys"/>; the SQL has {0} where the condition goes.</summary>
    public async Task ReadWhereInAsync<TKey>(string sqlWithCondition, string column, IReadOnlyCollection<TKey> keys, Action<DbDataReader> read)
    {
        if (keys.Count == 0)
        {
            return;
        }

        await FlushAsync();
        await using var command = _connection.CreateCommand();
        command.Transaction = _transaction;
        string condition;
        if (IsPostgres)
        {
            condition = $"{column} = ANY(@keys)";
            command.Parameters.Add(new NpgsqlParameter("keys", keys.ToArray()));
        }
        else
        {
            // One JSON array parameter, not one parameter per key: SQLite looks bound names up one by one, so thousands of
            // @pN made every lookup quadratic (and each query a new statement to prepare).
            condition = $"{column} IN (SELECT value FROM json_each(@keys))";
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@keys";
            parameter.Value = JsonSerializer.Serialize(keys);
            command.Parameters.Add(parameter);
        }

        command.CommandText = string.Format(CultureInfo.InvariantCulture, sqlWithCondition, condition);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            read(reader);
        }
    }

    /// <summary>Runs a query now (after anything queued) and reads every row.</summary>
    public async Task ReadAsync(string sql, Action<DbDataReader> read)
    {
        await FlushAsync();
        await using var command = _connection.CreateCommand();
        command.Transaction = _transaction;
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            read(reader);
        }
    }

    /// <summary>Runs a statement now (after anything queued) and returns its single value.</summary>
    public async Task<object?> ScalarAsync(string sql)
    {
        await FlushAsync();
        await using var command = _connection.CreateCommand();
        command.Transaction = _transaction;
        command.CommandText = sql;
        var value = await command.ExecuteScalarAsync();
        return value is DBNull ? null : value;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var statement in _statements.Values)
        {
            statement.Dispose();
        }

        if (_batch is not null)
        {
            await _batch.DisposeAsync();
        }
    }

    private async Task<IdRange> ReserveAsync(string table)
    {
        if (IsPostgres)
        {
            // Ids come from the table's own identity sequence, a block at a time, so EF Core's later inserts never collide.
            var first = 0L;
            var last = 0L;
            await FlushAsync();
            await using var command = _connection.CreateCommand();
            command.Transaction = _transaction;
            command.CommandText = string.Create(CultureInfo.InvariantCulture,
                $"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) FROM generate_series(1, {IdBlock})");
            await using var reader = await command.ExecuteReaderAsync();
            var previous = -1L;
            while (await reader.ReadAsync())
            {
                var id = reader.GetInt64(0);
                if (first == 0)
                {
                    first = id;
                }
                else if (id != previous + 1)
                {
                    break; // another session took ids in between: use the contiguous part
                }

                previous = last = id;
            }

            return new IdRange { Next = first, Last = last };
        }

        // SQLite: the import holds the write lock from its first statement, so nobody else can take these ids meanwhile.
        var max = Convert.ToInt64(await ScalarAsync($"SELECT COALESCE(MAX(id), 0) FROM {table}") ?? 0L, CultureInfo.InvariantCulture);
        return new IdRange { Next = max + 1, Last = long.MaxValue };
    }

    private static string Name(int i) => i switch
    {
        0 => "@p0",
        1 => "@p1",
        2 => "@p2",
        3 => "@p3",
        _ => string.Create(CultureInfo.InvariantCulture, $"@p{i}"),
    };

    private sealed class IdRange
    {
        public long Next { get; set; }

        public long Last { get; set; }
    }
}
