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
/// insert), position, predecessor and hash, saves, then moves the heads on. On PostgreSQL the heads are locked with
/// <c>FOR UPDATE</c> (in chain order, so two writers never deadlock on them); SQLite's transactions already hold its
/// single write lock. A head only moves on from the length it was read at, so a writer that got past both fails
/// instead of forking the chain.
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
        var (heads, readAt) = await StampAsync(db, added, cancellationToken);
        var saved = await save();
        await WriteHeadsAsync(db, heads.Values, readAt, cancellationToken);
        if (owned is not null)
        {
            await owned.CommitAsync(cancellationToken);
        }

        return saved;
    }

    private static async Task<(Dictionary<string, ChainHead> Heads, Dictionary<string, long> ReadAt)> StampAsync(
        DunwellDb db, List<EntityEntry<IAppendOnly>> added, CancellationToken cancellationToken)
    {
        var heads = await LockHeadsAsync(db, added.Select(e => RecordChain.ChainOf(e.Entity)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(), cancellationToken);
        var readAt = heads.Values.ToDictionary(h => h.Chain, h => h.Length, StringComparer.Ordinal);
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
            var hash = RecordChain.Link(head.LastHash, entry.Entity, seq);
            entry.Property(RecordChain.SeqColumn).CurrentValue = seq;
            entry.Property(RecordChain.PrevColumn).CurrentValue = head.LastHash;
            entry.Property(RecordChain.HashColumn).CurrentValue = hash;
            head.Length = seq;
            head.LastId = (long)entry.Property("Id").CurrentValue!;
            head.LastHash = hash;
        }

        return (heads, readAt);
    }

    /// <summary>Makes sure each chain has a head row (a new chain starts empty), then reads and locks them.</summary>
    private static async Task<Dictionary<string, ChainHead>> LockHeadsAsync(DunwellDb db, List<string> chains, CancellationToken cancellationToken)
    {
        var postgres = db.Database.IsNpgsql();
        var heads = new Dictionary<string, ChainHead>(StringComparer.Ordinal);
        await using var command = Command(db);
        command.CommandText = postgres
            ? "INSERT INTO chain_heads (chain, length, last_id, last_hash) SELECT c, 0, 0, @genesis FROM unnest(@chains) AS c ON CONFLICT (chain) DO NOTHING;" +
              "SELECT chain, length, last_id, last_hash FROM chain_heads WHERE chain = ANY(@chains) ORDER BY chain FOR UPDATE"
            : "INSERT INTO chain_heads (chain, length, last_id, last_hash) SELECT value, 0, 0, @genesis FROM json_each(@chains) WHERE true ON CONFLICT (chain) DO NOTHING;" +
              "SELECT chain, length, last_id, last_hash FROM chain_heads WHERE chain IN (SELECT value FROM json_each(@chains))";
        Add(command, "@chains", postgres ? chains.ToArray() : JsonSerializer.Serialize(chains));
        Add(command, "@genesis", RecordChain.Genesis.ToArray());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        do
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                heads[reader.GetString(0)] = new ChainHead
                {
                    Chain = reader.GetString(0),
                    Length = reader.GetInt64(1),
                    LastId = reader.GetInt64(2),
                    LastHash = reader.GetFieldValue<byte[]>(3),
                };
            }
        }
        while (await reader.NextResultAsync(cancellationToken));

        return heads;
    }

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

    private static async Task WriteHeadsAsync(DunwellDb db, IEnumerable<ChainHead> heads, Dictionary<string, long> readAt, CancellationToken cancellationToken)
    {
        foreach (var head in heads)
        {
            await using var command = Command(db);
            command.CommandText = "UPDATE chain_heads SET length = @length, last_id = @last, last_hash = @hash WHERE chain = @chain AND length = @was";
            Add(command, "@length", head.Length);
            Add(command, "@last", head.LastId);
            Add(command, "@hash", head.LastHash);
            Add(command, "@chain", head.Chain);
            Add(command, "@was", readAt[head.Chain]);
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
