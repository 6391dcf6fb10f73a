using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Dunwell.Data;

/// <summary>
/// The database half of "append-only, enforced twice": triggers, added to the Initial migration by
/// scripts/regen-initial-migrations.sh, that refuse every statement that would change or remove a row, from any
/// connection (the app's, a tool's, an operator's sqlite3 or psql).
/// </summary>
/// <remarks>
/// SQLite: BEFORE UPDATE and BEFORE DELETE triggers, plus a BEFORE INSERT trigger that refuses a row whose unique key
/// (primary key or unique index) is taken. The last one closes REPLACE, INSERT OR REPLACE and UPDATE OR REPLACE: their
/// conflict resolution deletes the old row without firing DELETE triggers (unless <c>PRAGMA recursive_triggers</c> is on).
/// That pragma was not chosen because it is a setting of each connection, so any connection that forgets it (sqlite3,
/// a backup tool, a raw <c>SqliteConnection</c>) could rewrite rows again; a trigger is part of the file. An upsert's
/// DO UPDATE is an UPDATE, so the UPDATE trigger refuses it. The keys come from the migration's own model, so a unique
/// index added to one of these tables is covered when the migration is regenerated.
/// PostgreSQL: row triggers for UPDATE and DELETE (INSERT … ON CONFLICT DO UPDATE and MERGE fire them too) and a statement
/// trigger for TRUNCATE, enabled ALWAYS so that <c>SET session_replication_role = replica</c> does not switch them off.
/// </remarks>
public static class AppendOnlyTriggers
{
    /// <summary>In the message of an INSERT refused because its key is taken, so callers can tell it is a unique violation.</summary>
    public const string KeyTaken = "a row with this key exists";

    public static IReadOnlyList<string> Tables { get; } = ["ledger_entries", "interactions", "audit_events", "payment_references"];

    public static string Sqlite(IModel model, string table)
    {
        var taken = string.Join("\n  OR ", UniqueKeys(model, table).Select(key =>
            $"EXISTS (SELECT 1 FROM {table} WHERE {string.Join(" AND ", key.Columns.Select(c => $"\"{c}\" = NEW.\"{c}\""))}{(key.Filter is null ? "" : $" AND ({key.Filter})")})"));
        return $"""
            CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table}
            BEGIN SELECT RAISE(ABORT, '{table} is append-only: record a correcting entry instead'); END;
            CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table}
            BEGIN SELECT RAISE(ABORT, '{table} is append-only: record a correcting entry instead'); END;
            CREATE TRIGGER {table}_no_replace BEFORE INSERT ON {table}
            WHEN {taken}
            BEGIN SELECT RAISE(ABORT, '{table} is append-only and {KeyTaken}: it cannot be replaced or upserted'); END;
            """;
    }

    public const string PostgresFunction = """
        CREATE OR REPLACE FUNCTION dunwell_refuse_rewrite() RETURNS trigger AS $$
        BEGIN
          RAISE EXCEPTION '% is append-only: record a correcting entry instead', TG_TABLE_NAME;
        END;
        $$ LANGUAGE plpgsql;
        """;

    public static string Postgres(string table) => $"""
        CREATE TRIGGER {table}_no_rewrite BEFORE UPDATE OR DELETE ON {table}
        FOR EACH ROW EXECUTE FUNCTION dunwell_refuse_rewrite();
        CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}
        FOR EACH STATEMENT EXECUTE FUNCTION dunwell_refuse_rewrite();
        ALTER TABLE {table} ENABLE ALWAYS TRIGGER {table}_no_rewrite;
        ALTER TABLE {table} ENABLE ALWAYS TRIGGER {table}_no_truncate;
        """;

    /// <summary>The primary key and every unique index of <paramref name="table"/>, as column names (and the index's filter).</summary>
    private static IEnumerable<(string[] Columns, string? Filter)> UniqueKeys(IModel model, string table)
    {
        var entity = model.GetEntityTypes().Single(e => e.GetTableName() == table);
        return entity.GetKeys().Select(k => (Columns(k.Properties), (string?)null))
            .Concat(entity.GetIndexes().Where(i => i.IsUnique).Select(i => (Columns(i.Properties), i.GetFilter())))
            .DistinctBy(k => string.Join(',', k.Item1));

        static string[] Columns(IReadOnlyList<IProperty> properties) => [.. properties.Select(p => p.GetColumnName())];
    }
}
