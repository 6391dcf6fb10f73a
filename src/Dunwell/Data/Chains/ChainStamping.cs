using System.Data.Common;
using System.Globalization;
using System.Text;
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

    private static readonly string[] LedgerInstants = [nameof(LedgerEntry.PostedAt)];
    private static readonly string[] InteractionInstants = [nameof(Interaction.OccurredAt), nameof(Interaction.RecordedAt)];
    private static readonly string[] AuditInstants = [nameof(AuditEvent.At)];

    private static async Task<Dictionary<string, Head>> StampAsync(DunwellDb db, List<EntityEntry<IAppendOnly>> added, CancellationToken cancellationToken)
    {
        var accountIds = added.Select(e => RecordChain.AccountOf(e.Entity)).OfType<long>().Distinct().Order().ToList();
        var auditChains = added.Where(e => e.Entity is AuditEvent).Select(e => RecordChain.ChainOf(e.Entity)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var counts = added.GroupBy(e => RecordChain.TableOf(e.Entity)).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var (heads, ids) = await ReadAsync(db, accountIds, auditChains, counts, cancellationToken);
        if (accountIds.Where(id => !heads.ContainsKey(RecordChain.LedgerChain(id))).Select(id => (long?)id).FirstOrDefault() is { } missing)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"Account {missing} is not saved: save an account before the ledger entries and interactions that belong to it (its row holds their chains' heads)."));
        }

        foreach (var entry in added)
        {
            var row = entry.Entity;
            var id = ids[RecordChain.TableOf(row)].Dequeue();
            // The hash covers the id and the instants as stored (to the microsecond), so both are settled here.
            entry.Property(nameof(LedgerEntry.Id)).CurrentValue = id;
            foreach (var name in row switch
            {
                LedgerEntry => LedgerInstants,
                Interaction => InteractionInstants,
                _ => AuditInstants,
            })
            {
                var instant = entry.Property(name);
                instant.CurrentValue = RecordChain.Stored((Instant)instant.CurrentValue!);
            }

            var head = heads[RecordChain.ChainOf(row)];
            var seq = head.Length + 1;
            var hash = RecordChain.Link(head.Hash, row, seq);
            entry.Property(RecordChain.SeqColumn).CurrentValue = seq;
            entry.Property(RecordChain.HashColumn).CurrentValue = hash;
            head.Length = seq;
            head.LastId = id;
            head.Hash = hash;
        }

        return heads;
    }

    /// <summary>
    /// One round trip before the save: the accounts' heads (locked on PostgreSQL, in id order), the audit subjects' heads
    /// (a new chain's row made first; locked in chain order), and ids for the new rows (the table's own sequence on
    /// PostgreSQL; on SQLite the next after the largest, under the write lock). Each row says what it is in its first column.
    /// </summary>
    private static async Task<(Dictionary<string, Head> Heads, Dictionary<string, Queue<long>> Ids)> ReadAsync(
        DunwellDb db, List<long> accountIds, List<string> auditChains, Dictionary<string, int> counts, CancellationToken cancellationToken)
    {
        var postgres = db.Database.IsNpgsql();
        var ledger = RecordChain.AccountHeads[RecordChain.Ledger];
        var interactions = RecordChain.AccountHeads[RecordChain.Interactions];
        var sql = new StringBuilder();
        await using var command = Command(db);
        if (accountIds.Count > 0)
        {
            sql.Append(CultureInfo.InvariantCulture, $"SELECT 'account', id, {ledger.LengthColumn}, {ledger.HashColumn}, {interactions.LengthColumn}, {interactions.HashColumn} FROM accounts ")
                .Append(postgres ? "WHERE id = ANY(@ids) ORDER BY id FOR UPDATE;" : "WHERE id IN (SELECT value FROM json_each(@ids));");
            Add(command, "@ids", postgres ? accountIds.ToArray() : JsonSerializer.Serialize(accountIds));
        }

        if (auditChains.Count > 0)
        {
            sql.Append(postgres
                ? "INSERT INTO chain_heads (chain, length, last_id, last_hash) SELECT c, 0, 0, @genesis FROM unnest(@chains) AS c ON CONFLICT (chain) DO NOTHING;" +
                  "SELECT 'audit', chain, length, last_hash FROM chain_heads WHERE chain = ANY(@chains) ORDER BY chain FOR UPDATE;"
                : "INSERT INTO chain_heads (chain, length, last_id, last_hash) SELECT value, 0, 0, @genesis FROM json_each(@chains) WHERE true ON CONFLICT (chain) DO NOTHING;" +
                  "SELECT 'audit', chain, length, last_hash FROM chain_heads WHERE chain IN (SELECT value FROM json_each(@chains));");
            Add(command, "@chains", postgres ? auditChains.ToArray() : JsonSerializer.Serialize(auditChains));
            Add(command, "@genesis", RecordChain.Genesis.ToArray());
        }

        foreach (var (table, count) in counts)
        {
            sql.Append(postgres
                ? string.Create(CultureInfo.InvariantCulture, $"SELECT 'id', '{table}', nextval(pg_get_serial_sequence('{table}', 'id')) FROM generate_series(1, {count});")
                : string.Create(CultureInfo.InvariantCulture, $"SELECT 'id', '{table}', COALESCE(MAX(id), 0) FROM {table};"));
        }

        command.CommandText = sql.ToString();
        var heads = new Dictionary<string, Head>(StringComparer.Ordinal);
        var ids = counts.Keys.ToDictionary(t => t, _ => new Queue<long>(), StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        do
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                switch (reader.GetString(0))
                {
                    case "account":
                        var account = reader.GetInt64(1);
                        heads[RecordChain.LedgerChain(account)] = new Head(RecordChain.LedgerChain(account), reader.GetInt64(2), HashOrGenesis(reader, 3)) { Account = (account, RecordChain.Ledger) };
                        heads[RecordChain.InteractionChain(account)] = new Head(RecordChain.InteractionChain(account), reader.GetInt64(4), HashOrGenesis(reader, 5)) { Account = (account, RecordChain.Interactions) };
                        break;
                    case "audit":
                        heads[reader.GetString(1)] = new Head(reader.GetString(1), reader.GetInt64(2), reader.GetFieldValue<byte[]>(3));
                        break;
                    default:
                        var table = reader.GetString(1);
                        var value = reader.GetInt64(2);
                        if (postgres)
                        {
                            ids[table].Enqueue(value);
                        }
                        else
                        {
                            for (var i = 1; i <= counts[table]; i++)
                            {
                                ids[table].Enqueue(value + i);
                            }
                        }

                        break;
                }
            }
        }
        while (await reader.NextResultAsync(cancellationToken));

        return (heads, ids);
    }

    private static byte[] HashOrGenesis(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? RecordChain.Genesis.ToArray() : reader.GetFieldValue<byte[]>(ordinal);

    /// <summary>One round trip after the save: each moved head, only from the length it was read at (each UPDATE answers a row when it matched).</summary>
    private static async Task WriteHeadsAsync(DunwellDb db, IEnumerable<Head> heads, CancellationToken cancellationToken)
    {
        var moved = heads.Where(h => h.Length != h.ReadAt).ToList();
        if (moved.Count == 0)
        {
            return;
        }

        var sql = new StringBuilder();
        await using var command = Command(db);
        for (var n = 0; n < moved.Count; n++)
        {
            var head = moved[n];
            if (head.Account is { } account)
            {
                var columns = RecordChain.AccountHeads[account.Table];
                sql.Append(CultureInfo.InvariantCulture,
                    $"UPDATE accounts SET {columns.LengthColumn} = @length{n}, {columns.HashColumn} = @hash{n} WHERE id = @key{n} AND {columns.LengthColumn} = @was{n} RETURNING 1;");
                Add(command, $"@key{n}", account.Id);
            }
            else
            {
                sql.Append(CultureInfo.InvariantCulture,
                    $"UPDATE chain_heads SET length = @length{n}, last_id = @last{n}, last_hash = @hash{n} WHERE chain = @key{n} AND length = @was{n} RETURNING 1;");
                Add(command, $"@last{n}", head.LastId);
                Add(command, $"@key{n}", head.Chain);
            }

            Add(command, $"@length{n}", head.Length);
            Add(command, $"@hash{n}", head.Hash);
            Add(command, $"@was{n}", head.ReadAt);
        }

        command.CommandText = sql.ToString();
        var matched = 0;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            do
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    matched++;
                }
            }
            while (await reader.NextResultAsync(cancellationToken));
        }

        if (matched != moved.Count)
        {
            throw new InvalidOperationException(
                $"A chain among {string.Join(", ", moved.Select(h => h.Chain))} moved while this transaction appended to it; the transaction must not commit.");
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
