using Dunwell.Data;
using Dunwell.Data.Chains;

namespace Dunwell.Features.Imports;

/// <summary>
/// The import's side of the ledger chains (the bulk path bypasses SaveChanges, so it links rows here, with the same
/// <see cref="RecordChain"/>). A ledger's head is on its account's row: the import reads it with the account (or here,
/// locked on PostgreSQL, when an account it did not read needs one), keeps it in memory while it appends, and writes it
/// with the account: in the new account's insert, in the payment's account update, or once per chunk here.
/// </summary>
internal sealed class BulkChains(BulkDb bulk)
{
    private const string InsertEntry =
        "INSERT INTO ledger_entries (id, account_id, kind, principal, interest, fees, currency, value_date, posted_at, posted_by, idempotency_key, " +
        "method, reference, reverses_entry_id, note, chain_seq, hash) " +
        "VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8, @p9, @p10, @p11, @p12, @p13, @p14, @p15, @p16)";

    /// <summary>The ledger head columns of an account, for the import's own account queries.</summary>
    public static readonly AccountHead Columns = RecordChain.AccountHeads[RecordChain.Ledger];

    private static readonly string ReadHead =
        $"SELECT id, {Columns.LengthColumn}, {Columns.HashColumn} FROM accounts WHERE {{0}}";

    private static readonly string WriteHead =
        $"UPDATE accounts SET {Columns.LengthColumn} = @p1, {Columns.HashColumn} = @p2 WHERE id = @p0";

    private readonly Dictionary<long, Head> _heads = [];

    /// <summary>One account's ledger head as it stands in this chunk; <see cref="Dirty"/> until written.</summary>
    public sealed class Head
    {
        public long Length { get; set; }

        public byte[] Hash { get; set; } = RecordChain.Genesis.ToArray();

        public bool Dirty { get; set; }
    }

    /// <summary>A head the caller read with its account (length and hash columns; a null hash is an empty chain).</summary>
    public void Known(long accountId, long length, byte[]? hash) =>
        _heads[accountId] = new Head { Length = length, Hash = hash ?? RecordChain.Genesis.ToArray() };

    /// <summary>A new account's ledger starts here: nothing to read.</summary>
    public void StartLedger(long accountId) => _heads[accountId] = new Head();

    /// <summary>The head of an account this chunk has touched (after <see cref="Known"/>, <see cref="StartLedger"/> or an insert).</summary>
    public Head Of(long accountId) => _heads[accountId];

    /// <summary>Links the entry onto its account's chain and inserts it (every column, as SaveChanges would). The head stays dirty until written.</summary>
    public async Task InsertAsync(LedgerEntry entry)
    {
        if (!_heads.ContainsKey(entry.AccountId))
        {
            await bulk.ReadWhereInAsync(ReadHead + (bulk.IsPostgres ? " FOR UPDATE" : ""), "id", new HashSet<long> { entry.AccountId },
                r => Known(r.GetInt64(0), r.GetInt64(1), r.IsDBNull(2) ? null : r.GetFieldValue<byte[]>(2)));
            _ = _heads.GetValueOrDefault(entry.AccountId) ?? throw new InvalidOperationException($"Account {entry.AccountId} does not exist.");
        }

        var link = Link(entry);
        await InsertLinkedAsync(entry, link);
        _heads[entry.AccountId].Dirty = true;
    }

    /// <summary>
    /// Moves the head over the entry without writing anything: a new account is then inserted with its head already
    /// set (<see cref="Of"/>), and its entry after it with <see cref="InsertLinkedAsync"/>.
    /// </summary>
    public (long Seq, byte[] Hash) Link(LedgerEntry entry)
    {
        var head = _heads[entry.AccountId];
        var seq = head.Length + 1;
        var hash = RecordChain.Link(head.Hash, entry, seq);
        head.Length = seq;
        head.Hash = hash;
        return (seq, hash);
    }

    /// <summary>Inserts an entry <see cref="Link"/> has linked (every column, as SaveChanges would).</summary>
    public Task InsertLinkedAsync(LedgerEntry entry, (long Seq, byte[] Hash) link) =>
        bulk.ExecuteAsync(InsertEntry, entry.Id, entry.AccountId, entry.Kind.ToString(), entry.Principal, entry.Interest, entry.Fees,
            entry.Currency, entry.ValueDate.ToDateOnly(), RecordChain.Stored(entry.PostedAt).ToDateTimeUtc(), entry.PostedBy, entry.IdempotencyKey, entry.Method,
            entry.Reference, entry.ReversesEntryId, entry.Note, link.Seq, link.Hash);

    /// <summary>Writes the heads still dirty (the caller wrote the others with their accounts), then forgets them all.</summary>
    public async Task SaveHeadsAsync()
    {
        foreach (var (accountId, head) in _heads)
        {
            if (head.Dirty)
            {
                await bulk.ExecuteAsync(WriteHead, accountId, head.Length, head.Hash);
            }
        }

        _heads.Clear();
    }
}
