using System.Globalization;
using Dunwell.Data;
using Dunwell.Data.Chains;
using Microsoft.EntityFrameworkCore;

namespace Dunwell.Features.Audit;

/// <summary>How a link is broken.</summary>
public static class BreakKinds
{
    /// <summary>The row's stored hash is not the hash of what it now says after the row before it: a column was changed, or the row before it was replaced.</summary>
    public const string Content = "content-mismatch";

    /// <summary>A position comes twice, or out of order: rows swapped, inserted or moved.</summary>
    public const string Predecessor = "predecessor-mismatch";

    /// <summary>Positions are missing from the chain, or the head counts more rows than there are: rows deleted.</summary>
    public const string Missing = "missing-row";

    /// <summary>The chain's head disagrees with its last row: a row added after it, or the head itself changed.</summary>
    public const string Head = "head-mismatch";
}

/// <summary>The first broken link found: which table, row and chain, and what differs.</summary>
public sealed record ChainBreak(string Table, long? Id, string Chain, long? Position, string Kind, string Detail)
{
    public override string ToString() =>
        $"{Table}{(Id is { } id ? string.Create(CultureInfo.InvariantCulture, $" id {id}") : "")} (chain {Chain}" +
        $"{(Position is { } p ? string.Create(CultureInfo.InvariantCulture, $", position {p}") : "")}): {Kind}: {Detail}";
}

/// <summary>What <c>audit verify</c> walked and the first break, if any (<see cref="Broken"/> counts every break found).</summary>
/// <see cref="Spooled"/> counts recent read events not yet checked: still in the SQLite spool because another writer held the database.
public sealed record ChainReport(long Rows, long Chains, long Broken, ChainBreak? FirstBreak, long Spooled)
{
    public bool Intact => FirstBreak is null;
}

/// <summary>
/// Walks every chain of the ledger, the interactions and the audit trail in position order, recomputing each row's
/// hash (<see cref="RecordChain"/>) and comparing it, its predecessor and its position with what is stored, then each
/// chain's end with its head. Streams the rows; holds one table's heads in memory at a time.
/// </summary>
public static class AuditVerify
{
    public static async Task<ChainReport> RunAsync(DunwellDb db, CancellationToken cancellationToken)
    {
        // Spooled read events are part of the trail: they are checked too, once in audit_events and chained.
        var spooled = await AuditSpool.MoveAllAsync(db, cancellationToken);
        var walk = new Walk();
        await walk.TableAsync(db, RecordChain.Ledger, db.Ledger.IgnoreQueryFilters().AsNoTracking()
            .OrderBy(e => e.AccountId).ThenBy(e => EF.Property<long>(e, RecordChain.SeqColumn))
            .Select(e => new Linked(e, EF.Property<long>(e, RecordChain.SeqColumn), EF.Property<byte[]>(e, RecordChain.HashColumn))),
            cancellationToken);
        await walk.TableAsync(db, RecordChain.Interactions, db.Interactions.IgnoreQueryFilters().AsNoTracking()
            .OrderBy(i => i.AccountId).ThenBy(i => EF.Property<long>(i, RecordChain.SeqColumn))
            .Select(i => new Linked(i, EF.Property<long>(i, RecordChain.SeqColumn), EF.Property<byte[]>(i, RecordChain.HashColumn))),
            cancellationToken);
        await walk.TableAsync(db, RecordChain.Audit, db.AuditEvents.IgnoreQueryFilters().AsNoTracking()
            .OrderBy(a => a.Subject).ThenBy(a => EF.Property<long>(a, RecordChain.SeqColumn))
            .Select(a => new Linked(a, EF.Property<long>(a, RecordChain.SeqColumn), EF.Property<byte[]>(a, RecordChain.HashColumn))),
            cancellationToken);
        return new ChainReport(walk.Rows, walk.Chains, walk.Broken, walk.First, spooled);
    }

    private sealed record Linked(IAppendOnly Row, long Seq, byte[] Hash);

    /// <summary>A chain's head as stored: on its account's row (no last id kept there) or in chain_heads.</summary>
    private sealed record StoredHead(string Chain, long Length, long? LastId, byte[] Hash);

    private sealed class Walk
    {
        public long Rows { get; private set; }

        public long Chains { get; private set; }

        public long Broken { get; private set; }

        public ChainBreak? First { get; private set; }

        public async Task TableAsync(DunwellDb db, string table, IQueryable<Linked> rows, CancellationToken cancellationToken)
        {
            var heads = await HeadsAsync(db, table, cancellationToken);

            string? chain = null;
            long length = 0;
            long lastId = 0;
            byte[] previous = RecordChain.Genesis.ToArray();
            await foreach (var linked in rows.AsAsyncEnumerable().WithCancellation(cancellationToken))
            {
                Rows++;
                var id = IdOf(linked.Row);
                var rowChain = RecordChain.ChainOf(linked.Row);
                if (!string.Equals(rowChain, chain, StringComparison.Ordinal))
                {
                    if (chain is not null)
                    {
                        End(table, chain, length, lastId, previous, heads);
                    }

                    chain = rowChain;
                    length = 0;
                    lastId = 0;
                    previous = RecordChain.Genesis.ToArray();
                    Chains++;
                }

                if (linked.Seq != length + 1)
                {
                    Report(linked.Seq > length + 1
                        ? new ChainBreak(table, id, rowChain, linked.Seq, BreakKinds.Missing, string.Create(CultureInfo.InvariantCulture,
                            $"positions {length + 1} to {linked.Seq - 1} are missing before this row{After(lastId)}"))
                        : new ChainBreak(table, id, rowChain, linked.Seq, BreakKinds.Predecessor, string.Create(CultureInfo.InvariantCulture,
                            $"position {linked.Seq} comes again after position {length}{After(lastId)}")));
                }
                else if (RecordChain.Link(previous, linked.Row, linked.Seq) is var computed && !computed.AsSpan().SequenceEqual(linked.Hash))
                {
                    Report(new ChainBreak(table, id, rowChain, linked.Seq, BreakKinds.Content,
                        $"its content after the row before it{After(lastId)} hashes to {Short(computed)}, not to the stored {Short(linked.Hash)}: " +
                        "a column of it was changed after it was written, or the row before it was replaced"));
                }

                length = linked.Seq;
                lastId = id;
                previous = linked.Hash;
            }

            if (chain is not null)
            {
                End(table, chain, length, lastId, previous, heads);
            }

            // Heads left over name chains with no rows at all.
            foreach (var head in heads.Values.Where(h => h.Length > 0).OrderBy(h => h.Chain, StringComparer.Ordinal))
            {
                Report(new ChainBreak(table, null, head.Chain, null, BreakKinds.Missing, string.Create(CultureInfo.InvariantCulture,
                    $"the head records {head.Length} rows{Ending(head)}, and none are left")));
            }
        }

        private void End(string table, string chain, long length, long lastId, byte[] last, Dictionary<string, StoredHead> heads)
        {
            if (!heads.Remove(chain, out var head))
            {
                Report(new ChainBreak(table, lastId, chain, length, BreakKinds.Head,
                    string.Create(CultureInfo.InvariantCulture, $"the chain has {length} rows but no head: the rows were added outside Dunwell")));
            }
            else if (head.Length > length)
            {
                Report(new ChainBreak(table, lastId, chain, length, BreakKinds.Missing, string.Create(CultureInfo.InvariantCulture,
                    $"the head records {head.Length} rows{Ending(head)}; the chain ends at position {length}: rows were deleted from its end")));
            }
            else if (head.Length < length || (head.LastId is { } headLast && headLast != lastId) || !head.Hash.AsSpan().SequenceEqual(last))
            {
                Report(new ChainBreak(table, lastId, chain, length, BreakKinds.Head, string.Create(CultureInfo.InvariantCulture,
                    $"the head records {head.Length} rows{Ending(head)} with hash {Short(head.Hash)}; the chain ends at position {length} (id {lastId}, hash {Short(last)})")));
            }
        }

        private static string Ending(StoredHead head) => head.LastId is { } id ? string.Create(CultureInfo.InvariantCulture, $" ending at id {id}") : "";

        /// <summary>Every head of one table's chains: the accounts' columns for the ledger and interactions, chain_heads for the audit trail.</summary>
        private static async Task<Dictionary<string, StoredHead>> HeadsAsync(DunwellDb db, string table, CancellationToken cancellationToken)
        {
            if (table == RecordChain.Audit)
            {
                var prefix = table + ":";
                return await db.Set<ChainHead>().AsNoTracking().Where(h => h.Chain.StartsWith(prefix))
                    .Select(h => new StoredHead(h.Chain, h.Length, h.LastId, h.LastHash))
                    .ToDictionaryAsync(h => h.Chain, StringComparer.Ordinal, cancellationToken);
            }

            var columns = RecordChain.AccountHeads[table];
            var chain = table == RecordChain.Ledger ? (Func<long, string>)RecordChain.LedgerChain : RecordChain.InteractionChain;
            // Streamed straight into the dictionary: a portfolio's accounts are held once, not twice.
            return await db.Accounts.IgnoreQueryFilters().AsNoTracking()
                .Where(a => EF.Property<long>(a, columns.LengthProperty) != 0 || EF.Property<byte[]?>(a, columns.HashProperty) != null)
                .Select(a => new { a.Id, Length = EF.Property<long>(a, columns.LengthProperty), Hash = EF.Property<byte[]?>(a, columns.HashProperty) })
                .AsAsyncEnumerable()
                .Select(h => new StoredHead(chain(h.Id), h.Length, null, h.Hash ?? RecordChain.Genesis.ToArray()))
                .ToDictionaryAsync(h => h.Chain, StringComparer.Ordinal, cancellationToken);
        }

        private void Report(ChainBreak found)
        {
            Broken++;
            First ??= found;
        }

        private static string After(long lastId) => lastId == 0 ? "" : string.Create(CultureInfo.InvariantCulture, $" (id {lastId})");

        private static string Short(byte[] hash) => Convert.ToHexStringLower(hash.AsSpan(0, Math.Min(8, hash.Length)));

        private static long IdOf(IAppendOnly row) => row switch
        {
            LedgerEntry e => e.Id,
            Interaction i => i.Id,
            AuditEvent a => a.Id,
            _ => 0,
        };
    }
}
