using System.Data.Common;
using System.Globalization;
using Dunwell.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Dunwell.Tests.Features.Records;

/// <summary>One way of changing or removing rows with SQL: statements that prepare it (a view) and the statement itself.</summary>
internal sealed record SqlRewrite(string Name, string Sql, params string[] Setup);

/// <summary>
/// Every way SQL can change or remove a row of a table, on one provider, built from the database's own catalogue: every
/// unique key the table has (primary key and unique indexes) gets its REPLACE and upsert, so a key added later is tried too.
/// </summary>
internal static class SqlRewrites
{
    public static async Task<List<SqlRewrite>> ForAsync(DunwellDb db, string table)
    {
        var sqlite = db.Database.IsSqlite();
        var columns = await ColumnsAsync(db, table);
        var keys = await UniqueKeysAsync(db, table);
        var texts = await TextColumnsAsync(db, table);
        var idColumn = await RowKeyAsync(db, table);
        var other = Q(columns.First(c => c != idColumn)); // another column, to "change" to itself
        var id = await ScalarAsync(db, $"SELECT MIN({idColumn}) FROM {table}")
            ?? throw new InvalidOperationException($"Seed a row in {table} first.");
        var all = string.Join(", ", columns.Select(Q));
        // A new row that repeats a key: the database gives an id column a new value; a table keyed otherwise gets every column.
        var allButId = string.Join(", ", columns.Where(c => c != "id").Select(Q));
        var excluded = sqlite ? "excluded" : "EXCLUDED";

        var rewrites = new List<SqlRewrite>
        {
            new("UPDATE", $"UPDATE {table} SET {other} = {other} WHERE {idColumn} = {id}"),
            new("UPDATE every row", $"UPDATE {table} SET {other} = {other}"),
            new("DELETE", $"DELETE FROM {table} WHERE {idColumn} = {id}"),
            new("DELETE every row", $"DELETE FROM {table}"),
            new("DELETE … RETURNING", $"DELETE FROM {table} WHERE {idColumn} = {id} RETURNING {idColumn}"),
            new("INSERT … ON CONFLICT ({idColumn}) DO UPDATE (upsert on the row key)",
                $"INSERT INTO {table} ({all}) SELECT {all} FROM {table} WHERE {idColumn} = {id} ON CONFLICT ({idColumn}) DO UPDATE SET {other} = {excluded}.{other}"),
        };

        foreach (var key in keys.Where(k => k.Length != 1 || k[0] != idColumn))
        {
            // A new row (new id) that repeats this key of an existing row: REPLACE deletes the old one, an upsert updates it.
            var keyed = await ScalarAsync(db, $"SELECT MIN({idColumn}) FROM {table} WHERE {string.Join(" AND ", key.Select(c => $"{Q(c)} IS NOT NULL"))}")
                ?? throw new InvalidOperationException($"Seed a row in {table} whose ({string.Join(", ", key)}) is set, so its rewrites can be tried.");
            var name = string.Join(", ", key);
            // Only this key repeats: the columns of the table's other keys get new values, so each key's guard is tried on its own.
            var aimed = string.Join(", ", columns.Where(c => c != "id").Select(c =>
                key.Contains(c) || !keys.Any(k => k.Contains(c)) ? Q(c) : texts.Contains(c) ? $"{Q(c)} || '-aimed'" : $"-{Q(c)}"));
            rewrites.Add(new($"INSERT … ON CONFLICT ({name}) DO UPDATE",
                $"INSERT INTO {table} ({allButId}) SELECT {aimed} FROM {table} WHERE {idColumn} = {keyed} ON CONFLICT ({string.Join(", ", key.Select(Q))}) DO UPDATE SET {other} = {excluded}.{other}"));
            if (sqlite)
            {
                rewrites.Add(new($"REPLACE INTO with the ({name}) of another row",
                    $"REPLACE INTO {table} ({allButId}) SELECT {aimed} FROM {table} WHERE {idColumn} = {keyed}"));
                rewrites.Add(new($"INSERT OR REPLACE with the ({name}) of another row",
                    $"INSERT OR REPLACE INTO {table} ({allButId}) SELECT {aimed} FROM {table} WHERE {idColumn} = {keyed}"));
                rewrites.Add(new($"UPDATE OR REPLACE onto the ({name}) of another row",
                    $"UPDATE OR REPLACE {table} SET {string.Join(", ", key.Select(c => $"{Q(c)} = (SELECT {Q(c)} FROM {table} WHERE {idColumn} = {keyed})"))} WHERE {idColumn} <> {keyed}"));
            }
        }

        if (sqlite)
        {
            rewrites.AddRange(
            [
                new("REPLACE INTO (same id)", $"REPLACE INTO {table} ({all}) SELECT {all} FROM {table} WHERE {idColumn} = {id}"),
                new("INSERT OR REPLACE (same id)", $"INSERT OR REPLACE INTO {table} ({all}) SELECT {all} FROM {table} WHERE {idColumn} = {id}"),
                new("UPDATE OR REPLACE", $"UPDATE OR REPLACE {table} SET {other} = {other} WHERE {idColumn} = {id}"),
                new("INSERT … ON CONFLICT DO UPDATE (no target)",
                    $"INSERT INTO {table} ({all}) SELECT {all} FROM {table} WHERE {idColumn} = {id} ON CONFLICT DO UPDATE SET {other} = excluded.{other}"),
                new("DELETE through a view's INSTEAD OF trigger", $"DELETE FROM {table}_view WHERE {idColumn} = {id}",
                    $"CREATE VIEW {table}_view AS SELECT * FROM {table}",
                    $"CREATE TRIGGER {table}_view_delete INSTEAD OF DELETE ON {table}_view BEGIN DELETE FROM {table} WHERE {idColumn} = OLD.{idColumn}; END"),
                new("UPDATE through a view's INSTEAD OF trigger", $"UPDATE {table}_view SET {other} = {other} WHERE {idColumn} = {id}",
                    $"CREATE VIEW {table}_view AS SELECT * FROM {table}",
                    $"CREATE TRIGGER {table}_view_update INSTEAD OF UPDATE ON {table}_view BEGIN UPDATE {table} SET {other} = NEW.{other} WHERE {idColumn} = OLD.{idColumn}; END"),
            ]);
        }
        else
        {
            rewrites.AddRange(
            [
                // CASCADE, or PostgreSQL refuses a table that others reference before any trigger could.
                new("TRUNCATE … CASCADE", $"TRUNCATE {table} CASCADE"),
                new("TRUNCATE … RESTART IDENTITY CASCADE", $"TRUNCATE {table} RESTART IDENTITY CASCADE"),
                new("MERGE … WHEN MATCHED THEN UPDATE",
                    $"MERGE INTO {table} t USING (SELECT * FROM {table} WHERE {idColumn} = {id}) s ON t.{idColumn} = s.{idColumn} WHEN MATCHED THEN UPDATE SET {other} = s.{other}"),
                new("MERGE … WHEN MATCHED THEN DELETE",
                    $"MERGE INTO {table} t USING (SELECT * FROM {table} WHERE {idColumn} = {id}) s ON t.{idColumn} = s.{idColumn} WHEN MATCHED THEN DELETE"),
                new("DELETE in a WITH clause", $"WITH gone AS (DELETE FROM {table} WHERE {idColumn} = {id} RETURNING {idColumn}) SELECT count(*) FROM gone"),
                new("DELETE through an updatable view", $"DELETE FROM {table}_view WHERE {idColumn} = {id}", $"CREATE VIEW {table}_view AS SELECT * FROM {table}"),
                new("UPDATE through an updatable view", $"UPDATE {table}_view SET {other} = {other} WHERE {idColumn} = {id}", $"CREATE VIEW {table}_view AS SELECT * FROM {table}"),
                new("DELETE as a replica (session_replication_role skips ordinary triggers)", $"DELETE FROM {table} WHERE {idColumn} = {id}",
                    "SET LOCAL session_replication_role = replica"),
            ]);
        }

        return rewrites;
    }

    /// <summary>Every row of the table as text, in key order: equal snapshots mean nothing was changed or removed.</summary>
    public static async Task<List<string>> SnapshotAsync(DunwellDb db, string table)
    {
        var rows = new List<string>();
        await ReadAsync(db, $"SELECT * FROM {table} ORDER BY {await RowKeyAsync(db, table)}", reader =>
        {
            var values = new object[reader.FieldCount];
            reader.GetValues(values);
            rows.Add(string.Join("|", values.Select(v => Convert.ToString(v, CultureInfo.InvariantCulture))));
        });
        return rows;
    }

    /// <summary>A column that names one row: <c>id</c>, or else the table's one-column unique key (payment_references: its entry).</summary>
    private static async Task<string> RowKeyAsync(DunwellDb db, string table) =>
        (await ColumnsAsync(db, table)).Contains("id") ? "id" : (await UniqueKeysAsync(db, table)).First(k => k.Length == 1)[0];

    /// <summary>The table's unique keys (primary key and unique indexes), each as its columns in order.</summary>
    public static async Task<List<string[]>> UniqueKeysAsync(DunwellDb db, string table)
    {
        var columns = new List<(string Index, string Column)>();
        var sql = db.Database.IsSqlite()
            // The INTEGER PRIMARY KEY is the rowid and has no index of its own.
            ? $"SELECT 'pk', name FROM pragma_table_info('{table}') WHERE pk > 0 UNION ALL " +
              $"SELECT il.name, ii.name FROM pragma_index_list('{table}') il, pragma_index_info(il.name) ii WHERE il.\"unique\" = 1"
            : "SELECT i.relname, a.attname FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid " +
              "CROSS JOIN LATERAL unnest(x.indkey) WITH ORDINALITY AS k(attnum, n) JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum " +
              $"WHERE t.relname = '{table}' AND x.indisunique ORDER BY i.relname, k.n";
        await ReadAsync(db, sql, r => columns.Add((r.GetString(0), r.GetString(1))));
        return [.. columns.GroupBy(c => c.Index).Select(g => g.Select(c => c.Column).ToArray()).DistinctBy(k => string.Join(",", k))];
    }

    private static async Task<HashSet<string>> TextColumnsAsync(DunwellDb db, string table)
    {
        var texts = new HashSet<string>(StringComparer.Ordinal);
        await ReadAsync(db, db.Database.IsSqlite()
            ? $"SELECT name FROM pragma_table_info('{table}') WHERE type = 'TEXT'"
            : $"SELECT column_name FROM information_schema.columns WHERE table_name = '{table}' AND data_type IN ('text', 'character varying')",
            r => texts.Add(r.GetString(0)));
        return texts;
    }

    private static async Task<List<string>> ColumnsAsync(DunwellDb db, string table)
    {
        var columns = new List<string>();
        await ReadAsync(db, $"SELECT * FROM {table} WHERE 1 = 0", r =>
        {
        }, r =>
        {
            for (var i = 0; i < r.FieldCount; i++)
            {
                columns.Add(r.GetName(i));
            }
        });
        return columns;
    }

    private static async Task<string?> ScalarAsync(DunwellDb db, string sql)
    {
        string? value = null;
        await ReadAsync(db, sql, r => value = r.IsDBNull(0) ? null : Convert.ToString(r.GetValue(0), CultureInfo.InvariantCulture));
        return value;
    }

    private static async Task ReadAsync(DunwellDb db, string sql, Action<DbDataReader> row, Action<DbDataReader>? shape = null)
    {
        var connection = db.Database.GetDbConnection();
        if (connection.State != System.Data.ConnectionState.Open)
        {
            await db.Database.OpenConnectionAsync();
        }

        await using var command = connection.CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        shape?.Invoke(reader);
        while (await reader.ReadAsync())
        {
            row(reader);
        }
    }

    private static string Q(string column) => $"\"{column}\"";
}
