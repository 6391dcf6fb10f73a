using System.Globalization;
using System.Security.Cryptography;
using System.Threading.Channels;
using Dunwell.Data;
using Dunwell.Web;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using NodaTime;

namespace Dunwell.Features.Imports;

/// <summary>Who runs an import, on what, and how: shared by the CLI verbs and the API.</summary>
public sealed record ImportOptions(string Source, string Actor, bool SkipInvalid, IProgress<ImportProgress>? Progress = null, long? TotalBytes = null);

/// <summary>Applies the good rows of one chunk inside the import's transaction.</summary>
internal interface IChunkApplier<TRow>
    where TRow : class
{
    /// <summary>
    /// Called on the database stage before a chunk is checked: the row check to use for it, which may rely on what is
    /// stored (null: the import's usual check). It runs on another thread, so it must not touch the database.
    /// </summary>
    Task<Func<int, string?[], Parsed<TRow>>?> PrepareAsync(IReadOnlyList<RawRow> rows) => Task.FromResult<Func<int, string?[], Parsed<TRow>>?>(null);

    Task ApplyAsync(IReadOnlyList<TRow> rows, ImportTally tally);
}

/// <summary>
/// The shape every import has: one thread reads the file, the row checks run on the other cores a few chunks ahead (in
/// file order), and the database stage applies chunk after chunk, all inside one transaction. A file with a bad row is
/// rolled back whole unless bad rows may be skipped. The run and an audit event are recorded either way: in the import's
/// transaction when it applies, on their own when the file is rejected.
/// </summary>
internal static class ImportRunner
{
    // Chunks being checked while the database stage writes: enough to keep every core busy, few enough to bound memory.
    private static readonly int Ahead = Math.Max(2, Environment.ProcessorCount);

    public static async Task<ImportReport> RunAsync<TRow>(
        DunwellDb db,
        TimeProvider clock,
        Stream file,
        string kind,
        string auditAction,
        ColumnSet columns,
        Func<int, string?[], Parsed<TRow>> parse,
        Func<BulkDb, Instant, Task<IChunkApplier<TRow>>> applierFactory,
        Func<ImportTally, Instant, Task>? afterRows,
        ImportOptions options,
        CancellationToken cancellationToken)
        where TRow : class
    {
        var started = clock.Now();
        var tally = new ImportTally();
        await using var hashing = new HashingStream(file);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);

        var applied = false;
        ImportRun? run = null;
        HeaderMap header;
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            var connection = db.Database.GetDbConnection();
            await using var bulk = new BulkDb(connection, transaction.GetDbTransaction());
            if (!bulk.IsPostgres)
            {
                // A bigger page cache keeps the unique indexes in memory for a large file (the connection's default is 2 MB).
                await bulk.ScalarAsync("PRAGMA cache_size=-131072");
            }

            var applier = await applierFactory(bulk, started);
            var chunks = Channel.CreateBounded<List<RawRow>>(new BoundedChannelOptions(2) { SingleReader = true, SingleWriter = true });
            var reading = Task.Run(() => CsvChunks.ReadAsync(hashing, columns, chunks.Writer, stop.Token), stop.Token);
            var checking = new Queue<Task<List<Parsed<TRow>>>>();
            try
            {
                var good = new List<TRow>(CsvChunks.ChunkSize);
                while (true)
                {
                    // Start checking the chunks the reader has ready, so the checks run while this thread writes.
                    while (checking.Count < Ahead && (checking.Count > 0 || await chunks.Reader.WaitToReadAsync(cancellationToken))
                        && chunks.Reader.TryRead(out var raw))
                    {
                        var check = await applier.PrepareAsync(raw) ?? parse;
                        checking.Enqueue(Task.Run(() => Check(raw, check, columns), stop.Token));
                    }

                    if (checking.Count == 0)
                    {
                        break;
                    }

                    var chunk = await checking.Dequeue();
                    good.Clear();
                    foreach (var parsed in chunk)
                    {
                        tally.Rows++;
                        if (parsed.Masked is { } masked)
                        {
                            tally.NoteMasked(masked);
                        }

                        if (parsed.Errors is { } errors)
                        {
                            tally.Reject(errors);
                        }
                        else
                        {
                            good.Add(parsed.Row!);
                        }
                    }

                    await applier.ApplyAsync(good, tally);
                    options.Progress?.Report(new ImportProgress(tally.Rows, hashing.BytesRead, options.TotalBytes));
                }

                header = await reading;
            }
            catch
            {
                await stop.CancelAsync();
                await Task.WhenAny(Task.WhenAll([reading, .. checking]));
                throw;
            }

            tally.Warnings.AddRange(header.Warnings);
            tally.Reject(header.Errors);
            applied = header.Errors.Count == 0 && (tally.Rejected == 0 || options.SkipInvalid);
            if (applied)
            {
                // The rows, what follows from them, the run and its audit event commit together: a crash at any point
                // leaves either all of them or none, never accounts that nobody is recorded as loading.
                await bulk.FlushAsync();
                if (afterRows is not null)
                {
                    await afterRows(tally, started);
                }

                run = await RecordAsync();
                ImportPause.At(ImportPause.Recorded);
                await transaction.CommitAsync(cancellationToken);
                ImportPause.At(ImportPause.Committed);
            }
            else
            {
                await transaction.RollbackAsync(cancellationToken);
            }
        }

        if (run is null)
        {
            // A rejected file leaves nothing but its run and audit event, written together.
            await using var record = await db.Database.BeginTransactionAsync(cancellationToken);
            run = await RecordAsync();
            await record.CommitAsync(cancellationToken);
        }

        return tally.ToReport(run.Id, kind, applied);

        // Inside the caller's transaction: the run first, because its audit event names it by id.
        async Task<ImportRun> RecordAsync()
        {
            var recorded = new ImportRun
            {
                Kind = kind,
                Source = options.Source.Length > 400 ? options.Source[..400] : options.Source,
                Sha256 = await hashing.Sha256HexAsync(cancellationToken),
                StartedBy = options.Actor,
                StartedAt = started,
                FinishedAt = clock.Now(),
                Created = applied ? tally.Created : 0,
                Updated = applied ? tally.Updated : 0,
                Unchanged = applied ? tally.Unchanged : 0,
                Rejected = tally.Rejected,
            };
            db.ChangeTracker.Clear();
            db.ImportRuns.Add(recorded);
            await db.SaveChangesAsync(cancellationToken);
            AuditLog.Add(db, options.Actor, auditAction, $"import:{recorded.Id}", recorded.FinishedAt.Value, string.Create(CultureInfo.InvariantCulture,
                $"{(applied ? "applied" : "rejected")}; rows={tally.Rows} created={recorded.Created} updated={recorded.Updated} unchanged={recorded.Unchanged} rejected={recorded.Rejected}; sha256={recorded.Sha256}"));
            await db.SaveChangesAsync(cancellationToken);
            return recorded;
        }
    }

    private static List<Parsed<TRow>> Check<TRow>(List<RawRow> raw, Func<int, string?[], Parsed<TRow>> check, ColumnSet columns)
        where TRow : class
    {
        var parsed = new List<Parsed<TRow>>(raw.Count);
        foreach (var row in raw)
        {
            if (row.Values is not { } values)
            {
                parsed.Add(new Parsed<TRow>(row.Line, null, row.Errors));
                continue;
            }

            // Card numbers go before anything else sees the values, so no check, message or insert can carry one.
            var (masked, refused) = CardNumberScreen.Apply(row.Line, values, columns);
            parsed.Add(refused is not null
                ? new Parsed<TRow>(row.Line, null, refused, masked)
                : check(row.Line, values) with { Masked = masked });
        }

        return parsed;
    }

    /// <summary>
    /// Counts the bytes read and hashes them, so the run records exactly which file it was. The parser disposes the
    /// stream it reads; the hash lives on until the digest is taken.
    /// </summary>
    private sealed class HashingStream(Stream inner) : Stream
    {
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        private byte[]? _digest;

        public long BytesRead { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => BytesRead;
            set => throw new NotSupportedException();
        }

        public async Task<string> Sha256HexAsync(CancellationToken cancellationToken)
        {
            // Hash what the parser left unread too (a stopped import still names the whole file it was given).
            if (_digest is null)
            {
                var buffer = new byte[81920];
                int read;
                while ((read = await inner.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    _hash.AppendData(buffer, 0, read);
                }

                _digest = _hash.GetHashAndReset();
                _hash.Dispose();
            }

            return Convert.ToHexStringLower(_digest);
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var read = inner.Read(buffer);
            Append(buffer[..read]);
            return read;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await inner.ReadAsync(buffer, cancellationToken);
            Append(buffer.Span[..read]);
            return read;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        private void Append(ReadOnlySpan<byte> bytes)
        {
            _hash.AppendData(bytes);
            BytesRead += bytes.Length;
        }
    }
}
