using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage;
using NodaTime;
using Npgsql;

namespace Dunwell.Data.Chains;

/// <summary>
/// Links the ledger entries, interactions and audit events a SaveChanges adds onto their chains: inside one
/// transaction it locks the chains' heads, gives each new row its id (the hash covers it, so it cannot wait for the
/// insert), position and hash, saves, then moves the heads on. An account's ledger and interaction heads are on its
/// row; audit subjects' heads are in chain_heads. On PostgreSQL both are locked with <c>FOR UPDATE</c>, accounts in id
/// order and then audit heads in chain order (a single payment locks its account first too), so two writers never
/// deadlock on them; SQLite's transactions already hold its single write lock. A head only moves on from the length it
/// was read at, so a writer that got past both fails instead of forking the chain.
/// </summary>
internal static class ChainStamping
{
    public static async Task<int> SaveAsync(DunwellDb db, Func<Task<int>> save, CancellationToken cancellationToken)
    {
        var added = db.ChangeTracker.Entries<IAppendOnly>().Where(e => e.State == EntityState.Added && RecordChain.IsChained(e.Entity)).ToList();
        if (added.Count == 0)
        {
            return await save();
        }

        await using var owned = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        var heads = await StampAsync(db, added, cancellationToken);
        var saved = await save();
        await WriteHeadsAsync(db, heads.Values, cancellationToken);
        if (owned is not null)
        {
            await owned.CommitAsync(cancellationToken);
        }

        return saved;
    }

    /// <summary>A head as read (<see cref="ReadAt"/>) and as moved by this save.</summary>
    private sealed class Head(string chain, long length, byte[] hash)
    {
        public string Chain { get; } = chain;

        public long ReadAt { get; } = length;

        public long Length { get; set; } = length;

        public long LastId { get; set; }

        public byte[] Hash { get; set; } = hash;

        /// <summary>The account whose row holds this head, with the table it heads; null for an audit subject's head.</summary>
        public (long Id, string Table)? Account { get; init; }
    }

    private static async Task<Dictionary<string, Head>> StampAsync(DunwellDb db, List<EntityEntry<IAppendOnly>> added, CancellationToken cancellationToken)
    {
        var heads = await LockAccountHeadsAsync(db, added.Select(e => RecordChain.AccountOf(e.Entity)).OfType<long>().Distinct().Order().ToList(), cancellationToken);
        foreach (var head in await LockAuditHeadsAsync(
            db, added.Where(e => e.Entity is AuditEvent).Select(e => RecordChain.ChainOf(e.Entity)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(), cancellationToken))
        {
            heads[head.Chain] = head;
        }

        var ids = new Dictionary<string, Queue<long>>(StringComparer.Ordinal);
        foreach (var group in added.GroupBy(e => e.Metadata.GetTableName()!))
        {
            ids[group.Key] = await ReserveIdsAsync(db, group.Key, group.Count(), cancellationToken);
        }

        foreach (var entry in added)
        {
            entry.Property("Id").CurrentValue = ids[entry.Metadata.GetTableName()!].Dequeue();
            foreach (var instant in entry.Properties.Where(p => p.Metadata.ClrType == typeof(Instant)))
            {
                instant.CurrentValue = RecordChain.Stored((Instant)instant.CurrentValue!);
            }

            var head = heads[RecordChain.ChainOf(entry.Entity)];
            var seq = head.Length + 1;
            var hash = RecordChain.Link(head.Hash, entry.Entity, seq);
            entry.Property(RecordChain.SeqColumn).CurrentValue = seq;
            entry.Property(RecordChain.HashColumn).CurrentValue = hash;
            head.Length = seq;
            head.LastId = (long)entry.Property("Id").CurrentValue!;
            head.Hash = hash;
        }

        return heads;
    }

    /// <summary>Reads and locks the ledger and interaction heads on these accounts' rows.</summary>
    private static async Task<Dictionary<string, Head>> LockAccountHeadsAsync(DunwellDb db, List<long> accountIds, CancellationToken cancellationToken)
    {
        var heads = new Dictionary<string, Head>(StringComparer.Ordinal);
        if (accountIds.Count == 0)
        {
            return heads;
        }

        var postgres = db.Database.IsNpgsql();
        var ledger = RecordChain.AccountHeads[RecordChain.Ledger];
        var interactions = RecordChain.AccountHeads[RecordChain.Interactions];
        await using var command = Command(db);
        command.CommandText = $"SELECT id, {ledger.LengthColumn}, {ledger.HashColumn}, {interactions.LengthColumn}, {interactions.HashColumn} FROM accounts " +
            (postgres ? "WHERE id = ANY(@ids) ORDER BY id FOR UPDATE" : "WHERE id IN (SELECT value FROM json_each(@ids))");
        Add(command, "@ids", postgres ? accountIds.ToArray() : JsonSerializer.Serialize(accountIds));
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var id = reader.GetInt64(0);
                heads[RecordChain.LedgerChain(id)] = new Head(RecordChain.LedgerChain(id), reader.GetInt64(1), HashOrGenesis(reader, 2)) { Account = (id, RecordChain.Ledger) };
                heads[RecordChain.InteractionChain(id)] = new Head(RecordChain.InteractionChain(id), reader.GetInt64(3), HashOrGenesis(reader, 4)) { Account = (id, RecordChain.Interactions) };
            }
        }

        if (accountIds.Where(id => !heads.ContainsKey(RecordChain.LedgerChain(id))).Select(id => (long?)id).FirstOrDefault() is { } missing)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"Account {missing} is not saved: save an account before the ledger entries and interactions that belong to it (its row holds their chains' heads)."));
        }

        return heads;
    }

    /// <summary>Makes sure each audit subject's chain has a head row (a new chain starts empty), then reads and locks them.</summary>
    private static async Task<List<Head>> LockAuditHeadsAsync(DunwellDb db, List<string> chains, CancellationToken cancellationToken)
    {
        var heads = new List<Head>();
        if (chains.Count == 0)
        {
            return heads;
        }

        var postgres = db.Database.IsNpgsql();
        await using var command = Command(db);
        command.CommandText = postgres
            ? "INSERT INTO chain_heads (chain, length, last_id, last_hash) SELECT c, 0, 0, @genesis FROM unnest(@chains) AS c ON CONFLICT (chain) DO NOTHING;" +
              "SELECT chain, length, last_hash FROM chain_heads WHERE chain = ANY(@chains) ORDER BY chain FOR UPDATE"
            : "INSERT INTO chain_heads (chain, length, last_id, last_hash) SELECT value, 0, 0, @genesis FROM json_each(@chains) WHERE true ON CONFLICT (chain) DO NOTHING;" +
              "SELECT chain, length, last_hash FROM chain_heads WHERE chain IN (SELECT value FROM json_each(@chains))";
        Add(command, "@chains", postgres ? chains.ToArray() : JsonSerializer.Serialize(chains));
        Add(command, "@genesis", RecordChain.Genesis.ToArray());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        do
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                heads.Add(new Head(reader.GetString(0), reader.GetInt64(1), reader.GetFieldValue<byte[]>(2)));
            }
        }
        while (await reader.NextResultAsync(cancellationToken));

        return heads;
    }

    private static byte[] HashOrGenesis(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? RecordChain.Genesis.ToArray() : reader.GetFieldValue<byte[]>(ordinal);

    /// <summary>Ids for new rows: the table's own sequence on PostgreSQL; on SQLite the next after the largest (under the write lock).</summary>
    private static async Task<Queue<long>> ReserveIdsAsync(DunwellDb db, string table, int count, CancellationToken cancellationToken)
    {
        var ids = new Queue<long>(count);
        await using var command = Command(db);
        if (db.Database.IsNpgsql())
        {
            command.CommandText = string.Create(CultureInfo.InvariantCulture,
                $"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) FROM generate_series(1, {count})");
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                ids.Enqueue(reader.GetInt64(0));
            }

            return ids;
        }

        command.CommandText = $"SELECT COALESCE(MAX(id), 0) FROM {table}";
        var max = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
        for (var i = 1; i <= count; i++)
        {
            ids.Enqueue(max + i);
        }

        return ids;
    }

    private static async Task WriteHeadsAsync(DunwellDb db, IEnumerable<Head> heads, CancellationToken cancellationToken)
    {
        foreach (var head in heads.Where(h => h.Length != h.ReadAt))
        {
            await using var command = Command(db);
            if (head.Account is { } account)
            {
                var columns = RecordChain.AccountHeads[account.Table];
                command.CommandText = $"UPDATE accounts SET {columns.LengthColumn} = @length, {columns.HashColumn} = @hash WHERE id = @account AND {columns.LengthColumn} = @was";
                Add(command, "@account", account.Id);
            }
            else
            {
                command.CommandText = "UPDATE chain_heads SET length = @length, last_id = @last, last_hash = @hash WHERE chain = @chain AND length = @was";
                Add(command, "@last", head.LastId);
                Add(command, "@chain", head.Chain);
            }

            Add(command, "@length", head.Length);
            Add(command, "@hash", head.Hash);
            Add(command, "@was", head.ReadAt);
            if (await command.ExecuteNonQueryAsync(cancellationToken) != 1)
            {
                throw new InvalidOperationException($"Chain {head.Chain} moved while this transaction appended to it; the transaction must not commit.");
            }
        }
    }

    private static DbCommand Command(DunwellDb db)
    {
        var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        return command;
    }

    private static void Add(DbCommand command, string name, object value)
    {
        if (command is NpgsqlCommand npgsql)
        {
            npgsql.Parameters.AddWithValue(name.TrimStart('@'), value);
            return;
        }

        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
