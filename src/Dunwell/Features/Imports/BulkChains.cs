using Dunwell.Data;
using Dunwell.Data.Chains;

namespace Dunwell.Features.Imports;

/// <summary>
/// The import's side of the ledger chains (the bulk path bypasses SaveChanges, so it links rows here, with the same
/// <see cref="RecordChain"/>). Heads of the chunk's accounts are read (and locked on PostgreSQL) before it appends,
/// kept in memory while it does, and written back once per chunk, inside the import's transaction.
/// </summary>
internal sealed class BulkChains(BulkDb bulk)
{
    private const string InsertEntry =
        "INSERT INTO ledger_entries (id, account_id, kind, principal, interest, fees, currency, value_date, posted_at, posted_by, idempotency_key, " +
        "method, reference, reverses_entry_id, note, chain_seq, prev_hash, hash) " +
        "VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8, @p9, @p10, @p11, @p12, @p13, @p14, @p15, @p16, @p17)";

    private const string WriteHead =
        "INSERT INTO chain_heads (chain, length, last_id, last_hash) VALUES (@p0, @p1, @p2, @p3) " +
        "ON CONFLICT (chain) DO UPDATE SET length = excluded.length, last_id = excluded.last_id, last_hash = excluded.last_hash";

    private readonly Dictionary<string, ChainHead> _heads = new(StringComparer.Ordinal);
    private readonly HashSet<string> _dirty = new(StringComparer.Ordinal);

    /// <summary>Reads (and on PostgreSQL locks) the ledger heads of these accounts, once per chunk.</summary>
    public Task LoadLedgerHeadsAsync(IEnumerable<long> accountIds)
    {
        var chains = accountIds.Select(RecordChain.LedgerChain).Where(c => !_heads.ContainsKey(c)).ToHashSet(StringComparer.Ordinal);
        return bulk.ReadWhereInAsync(
            "SELECT chain, length, last_id, last_hash FROM chain_heads WHERE {0}" + (bulk.IsPostgres ? " ORDER BY chain FOR UPDATE" : ""),
            "chain", chains, r => _heads[r.GetString(0)] = new ChainHead
            {
                Chain = r.GetString(0),
                Length = r.GetInt64(1),
                LastId = r.GetInt64(2),
                LastHash = r.GetFieldValue<byte[]>(3),
            });
    }

    /// <summary>A new account's ledger starts here: nothing to read.</summary>
    public void StartLedger(long accountId)
    {
        var chain = RecordChain.LedgerChain(accountId);
        _heads[chain] = new ChainHead { Chain = chain, LastHash = RecordChain.Genesis.ToArray() };
    }

    /// <summary>Links the entry onto its account's chain and inserts it (every column, as SaveChanges would).</summary>
    public async Task InsertAsync(LedgerEntry entry)
    {
        var chain = RecordChain.LedgerChain(entry.AccountId);
        if (!_heads.TryGetValue(chain, out var head))
        {
            await LoadLedgerHeadsAsync([entry.AccountId]);
            head = _heads.GetValueOrDefault(chain) ?? new ChainHead { Chain = chain, LastHash = RecordChain.Genesis.ToArray() };
            _heads[chain] = head;
        }

        var seq = head.Length + 1;
        var hash = RecordChain.Link(head.LastHash, entry, seq);
        await bulk.ExecuteAsync(InsertEntry, entry.Id, entry.AccountId, entry.Kind.ToString(), entry.Principal, entry.Interest, entry.Fees,
            entry.Currency, entry.ValueDate.ToDateOnly(), RecordChain.Stored(entry.PostedAt).ToDateTimeUtc(), entry.PostedBy, entry.IdempotencyKey, entry.Method,
            entry.Reference, entry.ReversesEntryId, entry.Note, seq, head.LastHash, hash);
        head.Length = seq;
        head.LastId = entry.Id;
        head.LastHash = hash;
        _dirty.Add(chain);
    }

    /// <summary>Writes the heads this chunk moved, then forgets them (a later chunk reads them again).</summary>
    public async Task SaveHeadsAsync()
    {
        foreach (var chain in _dirty)
        {
            var head = _heads[chain];
            await bulk.ExecuteAsync(WriteHead, head.Chain, head.Length, head.LastId, head.LastHash);
        }

        _dirty.Clear();
        _heads.Clear();
    }
}
