using System.Data.Common;
using System.Threading.Channels;
using Dunwell.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using NodaTime;

namespace Dunwell.Features.Audit;

/// <summary>
/// On SQLite, the audit events of reads go first to a small SQLite file of their own beside the database (the spool),
/// and <see cref="AuditSpoolMover"/> moves them into audit_events when the main database can take a write. SQLite has
/// one writer at a time: without the spool, a read behind a 500,000-row import would wait for the import to commit just
/// to record that it happened. The spool is durable (WAL, synchronous=FULL), so a crash loses nothing; a moved row
/// leaves the spool only after its copy in audit_events committed, and carries its spool id there, so moving it again
/// adds nothing. See docs/audit-trail.md.
/// </summary>
public sealed class AuditSpool : IDisposable
{
    private const string Create = """
        CREATE TABLE IF NOT EXISTS spooled_audit_events (
          seq INTEGER PRIMARY KEY AUTOINCREMENT,
          spool_id TEXT NOT NULL UNIQUE,
          at_ticks INTEGER NOT NULL,
          actor TEXT NOT NULL,
          action TEXT NOT NULL,
          subject TEXT NOT NULL,
          detail TEXT);
        """;

    // Rows moved per transaction on the main database: small enough to keep each move short.
    private const int Batch = 500;

    // How long a reader of the trail waits for the main database before answering with what is moved.
    private const string ShortBusyTimeout = "PRAGMA busy_timeout=1000";

    private static readonly TimeSpan ShortWait = TimeSpan.FromSeconds(1);

    private readonly string _connectionString;
    private readonly Channel<bool> _written = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly SemaphoreSlim _moving = new(1, 1);

    public AuditSpool(string file)
    {
        File = file;
        _connectionString = new SqliteConnectionStringBuilder { DataSource = file, Pooling = true }.ToString();
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = Create;
        command.ExecuteNonQuery();
    }

    public string File { get; }

    public void Dispose() => _moving.Dispose();

    /// <summary>The spool's file for a SQLite database: beside it, like its -wal file. None for an in-memory database.</summary>
    public static string? FileFor(string sqliteConnectionString)
    {
        var builder = new SqliteConnectionStringBuilder(sqliteConnectionString);
        return builder.Mode == SqliteOpenMode.Memory || builder.DataSource is "" or ":memory:" ? null : builder.DataSource + "-audit-spool";
    }

    /// <summary>The app's spool, if this context belongs to an app that has one (a SQLite host); null means write directly.</summary>
    public static AuditSpool? Of(DunwellDb db) =>
        db.GetService<IDbContextOptions>().FindExtension<CoreOptionsExtension>()?.ApplicationServiceProvider?.GetService<AuditSpool>();

    /// <summary>
    /// Moves whatever is spooled into audit_events now, so whoever reads the trail or checks its chains sees every read
    /// recorded so far, not only those the mover has reached. Best effort: while another writer (an import) holds the
    /// main database it gives up after a short wait rather than make the reader wait for the import. Answers how many
    /// events are still spooled, for the caller to say so; always 0 on PostgreSQL.
    /// </summary>
    public static async Task<long> MoveAllAsync(DunwellDb db, CancellationToken cancellationToken)
    {
        var services = db.GetService<IDbContextOptions>().FindExtension<CoreOptionsExtension>()?.ApplicationServiceProvider;
        return services?.GetService<AuditSpool>() is { } spool ? await spool.TryDrainAsync(services, cancellationToken) : 0;
    }

    private async Task<long> TryDrainAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        // The mover may itself be waiting on the main database: if so, neither would get further.
        if (await _moving.WaitAsync(ShortWait, cancellationToken))
        {
            try
            {
                while (await MoveBatchAsync(services, quick: true, cancellationToken) == Batch)
                {
                }
            }
            catch (Exception e) when (e is DbException or DbUpdateException or InvalidOperationException)
            {
                // Busy: the rest stays spooled and is counted below; the mover brings it over once the writer is done.
            }
            finally
            {
                _moving.Release();
            }
        }

        return await CountAsync(cancellationToken);
    }

    /// <summary>Writes the events to the spool (never waiting for the main database) and wakes the mover.</summary>
    public async Task WriteAsync(IReadOnlyList<AuditEvent> events, CancellationToken cancellationToken)
    {
        await using (var connection = Open())
        {
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "INSERT INTO spooled_audit_events (spool_id, at_ticks, actor, action, subject, detail) VALUES ($id, $at, $actor, $action, $subject, $detail)";
            var id = command.Parameters.Add("$id", SqliteType.Text);
            var at = command.Parameters.Add("$at", SqliteType.Integer);
            var actor = command.Parameters.Add("$actor", SqliteType.Text);
            var action = command.Parameters.Add("$action", SqliteType.Text);
            var subject = command.Parameters.Add("$subject", SqliteType.Text);
            var detail = command.Parameters.Add("$detail", SqliteType.Text);
            foreach (var e in events)
            {
                // Base64url, not hex with dashes: a run of digits between dashes can look like a card number to the stored-data scan.
                id.Value = System.Buffers.Text.Base64Url.EncodeToString(Guid.CreateVersion7().ToByteArray());
                at.Value = e.At.ToUnixTimeTicks();
                actor.Value = e.Actor;
                action.Value = e.Action;
                subject.Value = e.Subject;
                detail.Value = (object?)e.Detail ?? DBNull.Value;
                await command.ExecuteNonQueryAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }

        _written.Writer.TryWrite(true);
    }

    /// <summary>How many events wait in the spool.</summary>
    public async Task<long> CountAsync(CancellationToken cancellationToken)
    {
        await using var connection = Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM spooled_audit_events";
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>Waits until something is spooled, the time is up, or the token is cancelled (never throws for either).</summary>
    public async Task WaitForWritesAsync(TimeSpan atMost, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(atMost);
        try
        {
            await _written.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // Time is up: the caller looks anyway (an event spooled before a restart has no one to wake it). Or the app
            // is stopping, which the caller's loop sees.
        }
    }

    /// <summary>Moves everything spooled into audit_events, a batch per transaction; waits while the main database is busy.</summary>
    public async Task<int> DrainAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        await _moving.WaitAsync(cancellationToken);
        try
        {
            var total = 0;
            int moved;
            do
            {
                moved = await MoveBatchAsync(services, quick: false, cancellationToken);
                total += moved;
            }
            while (moved == Batch);
            return total;
        }
        finally
        {
            _moving.Release();
        }
    }

    private async Task<int> MoveBatchAsync(IServiceProvider services, bool quick, CancellationToken cancellationToken)
    {
        var batch = await ReadBatchAsync(cancellationToken);
        if (batch.Count == 0)
        {
            return 0;
        }

        await using (var scope = services.CreateSystemScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<DunwellDb>();
            if (quick)
            {
                // Both SQLite's busy handler and Microsoft.Data.Sqlite's own retry wait on a lock; bound both. The
                // pragma lasts while this scope holds the connection (it is set again whenever one is opened).
                db.Database.SetCommandTimeout(ShortWait);
                await db.Database.OpenConnectionAsync(cancellationToken);
                await db.Database.ExecuteSqlRawAsync(ShortBusyTimeout, cancellationToken);
            }

            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var ids = batch.Select(b => b.Event.SpoolId).ToList();
            var already = (await db.AuditEvents.Where(e => ids.Contains(e.SpoolId)).Select(e => e.SpoolId).ToListAsync(cancellationToken)).ToHashSet();
            db.AuditEvents.AddRange(batch.Select(b => b.Event).Where(e => !already.Contains(e.SpoolId)));
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        // Only now, with the copies committed, do the rows leave the spool: a crash before this moves them again, which adds nothing.
        await using var connection = Open();
        await using var delete = connection.CreateCommand();
        delete.CommandText = "DELETE FROM spooled_audit_events WHERE seq <= $last";
        delete.Parameters.AddWithValue("$last", batch[^1].Seq);
        await delete.ExecuteNonQueryAsync(cancellationToken);
        return batch.Count;
    }

    private async Task<List<(long Seq, AuditEvent Event)>> ReadBatchAsync(CancellationToken cancellationToken)
    {
        await using var connection = Open();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT seq, spool_id, at_ticks, actor, action, subject, detail FROM spooled_audit_events ORDER BY seq LIMIT {Batch}";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var batch = new List<(long, AuditEvent)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            batch.Add((reader.GetInt64(0), new AuditEvent
            {
                SpoolId = reader.GetString(1),
                At = Instant.FromUnixTimeTicks(reader.GetInt64(2)),
                Actor = reader.GetString(3),
                Action = reader.GetString(4),
                Subject = reader.GetString(5),
                Detail = reader.IsDBNull(6) ? null : reader.GetString(6),
            }));
        }

        return batch;
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        // Durable before the read is answered; readers spooling at once wait for each other briefly, never for the import.
        command.CommandText = "PRAGMA busy_timeout=5000; PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;";
        command.ExecuteNonQuery();
        return connection;
    }
}
