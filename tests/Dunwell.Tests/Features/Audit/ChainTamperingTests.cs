using System.Data.Common;
using System.Globalization;
using System.Net.Http.Json;
using Dunwell.Data;
using Dunwell.Data.Chains;
using Dunwell.Domain.Accounts;
using Dunwell.Features.Audit;
using Dunwell.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NodaTime;
using static Dunwell.Tests.Features.Imports.ImportKit;

namespace Dunwell.Tests.Features.Audit;

/// <summary>
/// Someone with write access to the database drops the append-only triggers and edits the records: every kind of edit
/// is caught by <c>audit verify</c>. Each tampering runs in a transaction that is rolled back, so each starts from the
/// same untampered records. The seed is printed; set DUNWELL_TAMPER_SEED to replay a run.
/// </summary>
public sealed class ChainTamperingTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static readonly string[] Kinds = ["amount", "date", "note", "delete", "delete-tail", "swap", "insert", "head"];

    [Theory]
    [InlineData("sqlite", 1000)]
    [InlineData("postgres", 1000)]
    public async Task Audit_verify_catches_every_one_of_many_random_tamperings_and_the_untouched_records_verify_clean(string provider, int tamperings)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using (var app = await TestApp.StartAsync(database, Instant.FromUtc(2026, 3, 2, 15, 0)))
        {
            await SeedAsync(app);
            var clean = await app.WithDbAsync(db => AuditVerify.RunAsync(db, Cancel));
            Assert.True(clean.Intact, clean.FirstBreak?.ToString());
            Assert.True(clean.Rows > 50, $"only {clean.Rows} rows seeded");
        }

        var seed = int.TryParse(Environment.GetEnvironmentVariable("DUNWELL_TAMPER_SEED"), CultureInfo.InvariantCulture, out var given) ? given : Random.Shared.Next();
        TestContext.Current.TestOutputHelper?.WriteLine($"tampering seed: {seed} (DUNWELL_TAMPER_SEED={seed} replays it)");
        var random = new Random(seed);

        await using var connection = await OpenAsync(database);
        await using var db = Context(database.Provider, connection);
        await DropTriggersAsync(connection, database.Provider);
        var rows = await Rows.LoadAsync(db);

        var missed = new List<string>();
        var tried = Kinds.ToDictionary(k => k, _ => 0);
        for (var i = 0; i < tamperings; i++)
        {
            var kind = Kinds[random.Next(Kinds.Length)];
            tried[kind]++;
            await using var transaction = await connection.BeginTransactionAsync(Cancel);
            db.Database.UseTransaction(transaction);
            if (database.Provider == "postgres")
            {
                // Foreign keys would refuse some edits (a referenced id swapped away); the attacker switches them off too.
                await Execute(connection, "SET LOCAL session_replication_role = replica");
            }

            var what = await new Tamperer(connection, db, rows, random).RunAsync(kind);
            var report = await AuditVerify.RunAsync(db, Cancel);
            if (report.Intact)
            {
                missed.Add($"#{i} {what}");
            }

            await transaction.RollbackAsync(Cancel);
            db.Database.UseTransaction(null);
            db.ChangeTracker.Clear();
        }

        TestContext.Current.TestOutputHelper?.WriteLine(string.Join(", ", tried.Select(t => $"{t.Key}: {t.Value}")));
        Assert.True(missed.Count == 0, $"seed {seed}: {missed.Count} of {tamperings} tamperings not caught: {string.Join("; ", missed.Take(10))}");
        Assert.All(tried, t => Assert.True(t.Value > 0, $"{t.Key} never tried"));
        var after = await AuditVerify.RunAsync(db, Cancel);
        Assert.True(after.Intact, after.FirstBreak?.ToString());
    }

    /// <summary>Records written every way Dunwell writes them: bulk imports, the API (payments, interactions, corrections) and audited reads.</summary>
    internal static async Task SeedAsync(TestApp app)
    {
        await PlacementsAsync(app, Csv([PlacementHeader, .. Enumerable.Range(1, 12).Select(n => Row($"A-{n}", $"D-{(n + 1) / 2}"))]));
        await PlacementsAsync(app, Csv([PlacementHeader, .. Enumerable.Range(1, 12).Select(n => Row($"A-{n}", $"D-{(n + 1) / 2}", ("principal", n % 3 == 0 ? "1200.00" : "1000.00")))]));
        await PaymentsAsync(app, Csv([PaymentHeader, .. Enumerable.Range(1, 8).Select(n => $"A-{n},{10 * n}.00,USD,2026-03-01,card,FILE-{n}")]));

        var agent = await app.ClientAsAsync(Roles.Agent);
        var accounts = await app.WithDbAsync(db => db.Accounts.OrderBy(a => a.Id).Select(a => a.Id).ToListAsync(Cancel));
        foreach (var (accountId, n) in accounts.Take(6).Select((id, n) => (id, n)))
        {
            using var payment = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/accounts/{accountId}/payments")
            {
                Content = JsonContent.Create(new { amount = $"{n + 1}.25", currency = "USD", paidOn = "2026-03-02", method = "card", reference = $"API-{n}", note = "Paid by phone" }),
            };
            payment.Headers.Add("Idempotency-Key", $"pay-{n}");
            (await agent.SendAsync(payment, Cancel)).EnsureSuccessStatusCode();

            var url = $"/api/v1/accounts/{accountId}/interactions";
            var call = await agent.PostAsJsonAsync(url, new { channel = "note", occurredAt = "2026-03-02T14:30:00.123456Z", notes = $"Spoke about plan {n}" }, Cancel);
            call.EnsureSuccessStatusCode();
            var callId = (await call.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(Cancel)).GetProperty("id").GetInt64();
            (await agent.PostAsJsonAsync(url, new { channel = "note", corrects = callId, notes = "Correction: plan of two" }, Cancel)).EnsureSuccessStatusCode();
            (await agent.GetAsync($"/api/v1/accounts/{accountId}", Cancel)).EnsureSuccessStatusCode();
            app.Clock.Advance(TimeSpan.FromMinutes(3));
        }

        // A call about two of one debtor's debts is chained with the accounts it names (dunwell-chain/2).
        (await agent.PostAsJsonAsync($"/api/v1/accounts/{accounts[0]}/interactions",
            new { channel = "note", notes = "Spoke about both accounts", accounts = new[] { accounts[0], accounts[1] } }, Cancel)).EnsureSuccessStatusCode();
    }

    private static async Task<DbConnection> OpenAsync(TestDatabase database)
    {
        DbConnection connection = database.Provider == "sqlite" ? new SqliteConnection(database.ConnectionString) : new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync(Cancel);
        if (database.Provider == "sqlite")
        {
            // Foreign keys would refuse some edits (a referenced id swapped away); the attacker switches them off too.
            await Execute(connection, "PRAGMA foreign_keys = OFF");
        }

        return connection;
    }

    private static DunwellDb Context(string provider, DbConnection connection)
    {
        if (provider == "sqlite")
        {
            var sqlite = new DbContextOptionsBuilder<SqliteDunwellDb>().UseSqlite(connection).UseSnakeCaseNamingConvention();
            return new SqliteDunwellDb(sqlite.Options, CreditorScope.Unrestricted());
        }

        var postgres = new DbContextOptionsBuilder<PostgresDunwellDb>().UseNpgsql(connection).UseSnakeCaseNamingConvention();
        return new PostgresDunwellDb(postgres.Options, CreditorScope.Unrestricted());
    }

    internal static async Task DropTriggersAsync(DbConnection connection, string provider)
    {
        foreach (var table in AppendOnlyTriggers.Tables)
        {
            await Execute(connection, provider == "sqlite"
                ? $"DROP TRIGGER IF EXISTS {table}_no_update; DROP TRIGGER IF EXISTS {table}_no_delete; DROP TRIGGER IF EXISTS {table}_no_replace;"
                : $"DROP TRIGGER IF EXISTS {table}_no_rewrite ON {table}; DROP TRIGGER IF EXISTS {table}_no_truncate ON {table};");
        }
    }

    private static async Task Execute(DbConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }

        var affected = await command.ExecuteNonQueryAsync(Cancel);
        Assert.True(affected != 0 || !sql.TrimStart().StartsWith("UPDATE", StringComparison.OrdinalIgnoreCase), $"no row changed by: {sql}");
    }

    /// <summary>The untampered rows, by table: id, chain and position.</summary>
    private sealed class Rows
    {
        public required Dictionary<string, List<(long Id, string Chain, long Seq)>> ByTable { get; init; }

        public static async Task<Rows> LoadAsync(DunwellDb db)
        {
            var byTable = new Dictionary<string, List<(long, string, long)>>
            {
                [RecordChain.Ledger] = [.. (await db.Ledger.Select(e => new { e.Id, e.AccountId, Seq = EF.Property<long>(e, RecordChain.SeqColumn) }).ToListAsync(Cancel))
                    .Select(e => (e.Id, RecordChain.LedgerChain(e.AccountId), e.Seq))],
                [RecordChain.Interactions] = [.. (await db.Interactions.Select(e => new { e.Id, e.AccountId, Seq = EF.Property<long>(e, RecordChain.SeqColumn) }).ToListAsync(Cancel))
                    .Select(e => (e.Id, RecordChain.InteractionChain(e.AccountId), e.Seq))],
                [RecordChain.Audit] = [.. (await db.AuditEvents.Select(e => new { e.Id, e.Subject, Seq = EF.Property<long>(e, RecordChain.SeqColumn) }).ToListAsync(Cancel))
                    .Select(e => (e.Id, RecordChain.AuditChain(e.Subject), e.Seq))],
            };
            Assert.All(byTable, t => Assert.True(t.Value.Count > 5, $"{t.Key}: only {t.Value.Count} rows"));
            return new Rows { ByTable = byTable };
        }
    }

    /// <summary>One tampering of a random kind, written as plain SQL the way someone with the database file would.</summary>
    private sealed class Tamperer(DbConnection connection, DunwellDb db, Rows rows, Random random)
    {
        private static readonly Dictionary<string, string[]> DateColumns = new()
        {
            [RecordChain.Ledger] = ["value_date", "posted_at"],
            [RecordChain.Interactions] = ["occurred_at", "recorded_at"],
            [RecordChain.Audit] = ["at"],
        };

        private static readonly Dictionary<string, string[]> TextColumns = new()
        {
            [RecordChain.Ledger] = ["note", "posted_by", "reference", "method"],
            [RecordChain.Interactions] = ["notes", "author", "compliance_exception"],
            [RecordChain.Audit] = ["detail", "actor", "action"],
        };

        public Task<string> RunAsync(string kind) => kind switch
        {
            "amount" => AmountAsync(),
            "date" => DateAsync(),
            "note" => TextAsync(),
            "delete" => DeleteAsync(tail: false),
            "delete-tail" => DeleteAsync(tail: true),
            "swap" => SwapAsync(),
            "head" => HeadAsync(),
            _ => InsertAsync(),
        };

        private string Table() => random.Next(3) switch
        {
            0 => RecordChain.Ledger,
            1 => RecordChain.Interactions,
            _ => RecordChain.Audit,
        };

        private (long Id, string Chain, long Seq) Pick(string table) => rows.ByTable[table][random.Next(rows.ByTable[table].Count)];

        private async Task<string> AmountAsync()
        {
            var (id, _, _) = Pick(RecordChain.Ledger);
            var column = new[] { "principal", "interest", "fees" }[random.Next(3)];
            var delta = (random.Next(2) == 0 ? -1 : 1) * (random.Next(4) == 0 ? 1 : random.Next(1, 1_000_000));
            await Execute(connection, $"UPDATE ledger_entries SET {column} = {column} + @d WHERE id = @id", ("@d", (long)delta), ("@id", id));
            return $"ledger_entries {id}: {column} {delta:+#;-#}";
        }

        private async Task<string> DateAsync()
        {
            var table = Table();
            var (id, _, _) = Pick(table);
            var column = DateColumns[table][random.Next(DateColumns[table].Length)];
            var value = await ScalarAsync($"SELECT {column} FROM {table} WHERE id = @id", id);
            object changed = column == "value_date"
                ? ToDate(value).AddDays(random.Next(2) == 0 ? -random.Next(1, 400) : random.Next(1, 400))
                : ToInstant(value).AddTicks((random.Next(2) == 0 ? -1 : 1) * (random.Next(3) == 0 ? 10 : random.Next(1, 3_000_000) * TimeSpan.TicksPerSecond));
            await Execute(connection, $"UPDATE {table} SET {column} = @v WHERE id = @id", ("@v", changed), ("@id", id));
            return $"{table} {id}: {column} {value} -> {changed}";
        }

        private async Task<string> TextAsync()
        {
            var table = Table();
            var (id, _, _) = Pick(table);
            var column = TextColumns[table][random.Next(TextColumns[table].Length)];
            var value = await ScalarAsync($"SELECT {column} FROM {table} WHERE id = @id", id) as string;
            var nullable = column is "note" or "reference" or "method" or "notes" or "compliance_exception" or "detail";
            string? changed = value is null ? "Added later" : random.Next(4) == 0 && nullable ? null : random.Next(2) == 0 ? value + " " : value + " (edited)";
            await Execute(connection, $"UPDATE {table} SET {column} = @v WHERE id = @id", ("@v", changed), ("@id", id));
            return $"{table} {id}: {column} '{value}' -> '{changed}'";
        }

        private async Task<string> DeleteAsync(bool tail)
        {
            var table = Table();
            var (id, chain, _) = Pick(table);
            if (tail)
            {
                id = rows.ByTable[table].Where(r => r.Chain == chain).MaxBy(r => r.Seq).Id;
            }

            await Execute(connection, $"DELETE FROM {table} WHERE id = @id", ("@id", id));
            return $"{table} {id} deleted{(tail ? " (the last of its chain)" : "")}";
        }

        /// <summary>Two rows exchange ids, or two neighbours in one chain exchange places.</summary>
        private async Task<string> SwapAsync()
        {
            var table = Table();
            var (a, chain, seq) = Pick(table);
            var neighbour = rows.ByTable[table].Where(r => r.Chain == chain && r.Seq == seq + 1).Select(r => (long?)r.Id).SingleOrDefault();
            if (random.Next(2) == 0 && neighbour is { } b)
            {
                await Execute(connection, $"UPDATE {table} SET chain_seq = -1 WHERE id = @a", ("@a", a));
                await Execute(connection, $"UPDATE {table} SET chain_seq = @s WHERE id = @b", ("@s", seq), ("@b", b));
                await Execute(connection, $"UPDATE {table} SET chain_seq = @s WHERE id = @a", ("@s", seq + 1), ("@a", a));
                return $"{table} {a} and {b} exchanged places in {chain}";
            }

            var other = Pick(table).Id;
            while (other == a)
            {
                other = Pick(table).Id;
            }

            await Execute(connection, $"UPDATE {table} SET id = -1 WHERE id = @a", ("@a", a));
            await Execute(connection, $"UPDATE {table} SET id = @a WHERE id = @b", ("@a", a), ("@b", other));
            await Execute(connection, $"UPDATE {table} SET id = @b WHERE id = -1", ("@b", other));
            return $"{table} {a} and {other} exchanged ids";
        }

        /// <summary>
        /// A copy of a row added after the end of its chain, linked with the real algorithm (the attacker has the source),
        /// or with a made-up hash, or as the first row of a chain that does not exist.
        /// </summary>
        private async Task<string> InsertAsync()
        {
            var table = Table();
            var (source, chain, _) = Pick(table);
            var id = rows.ByTable[table].Max(r => r.Id) + 1000;
            var variant = random.Next(3);
            var last = rows.ByTable[table].Where(r => r.Chain == chain).MaxBy(r => r.Seq);
            var columns = db.Model.FindEntityType(table switch
            {
                RecordChain.Ledger => typeof(LedgerEntry),
                RecordChain.Interactions => typeof(Interaction),
                _ => typeof(AuditEvent),
            })!.GetProperties().Select(p => p.GetColumnName()).Where(c => c != "id").ToList();
            var values = columns.Select(c => c switch
            {
                "idempotency_key" or "reverses_entry_id" or "corrects_interaction_id" or "spool_id" => "NULL",
                "chain_seq" => variant == 2 ? "1" : "@seq",
                "subject" when variant == 2 => "'debtor:999999'",
                "account_id" when variant == 2 => "(SELECT MAX(id) + 1 FROM accounts)",
                _ => c,
            });
            await Execute(connection, $"INSERT INTO {table} (id, {string.Join(", ", columns)}) SELECT @id, {string.Join(", ", values)} FROM {table} WHERE id = @source",
                ("@id", id), ("@seq", last.Seq + 1), ("@last", last.Id), ("@genesis", RecordChain.Genesis.ToArray()), ("@source", source));

            if (variant != 1)
            {
                // Forged properly: the hash is what Dunwell itself would have written.
                IAppendOnly row = table switch
                {
                    RecordChain.Ledger => await db.Ledger.IgnoreQueryFilters().AsNoTracking().SingleAsync(e => e.Id == id, Cancel),
                    RecordChain.Interactions => await db.Interactions.IgnoreQueryFilters().AsNoTracking().SingleAsync(e => e.Id == id, Cancel),
                    _ => await db.AuditEvents.AsNoTracking().SingleAsync(e => e.Id == id, Cancel),
                };
                var prev = variant == 2 ? RecordChain.Genesis.ToArray() : (byte[])(await ScalarAsync($"SELECT hash FROM {table} WHERE id = @id", last.Id))!;
                var hash = RecordChain.Link(prev, row, variant == 2 ? 1 : last.Seq + 1);
                await Execute(connection, $"UPDATE {table} SET hash = @h WHERE id = @id", ("@h", hash), ("@id", id));
            }
            else
            {
                await Execute(connection, $"UPDATE {table} SET hash = @h WHERE id = @id", ("@h", System.Security.Cryptography.RandomNumberGenerator.GetBytes(RecordChain.HashLength)), ("@id", id));
            }

            return $"{table} {id} inserted as a copy of {source} ({(variant == 0 ? "forged at the end of " + chain : variant == 1 ? "made-up hash" : "forged as a new chain")})";
        }

        /// <summary>A chain's head rewritten: its length, or its last hash (an account's columns, or an audit subject's row).</summary>
        private async Task<string> HeadAsync()
        {
            var table = Table();
            var (id, chain, _) = Pick(table);
            var hash = random.Next(2) == 0;
            if (table == RecordChain.Audit)
            {
                await Execute(connection, hash ? "UPDATE chain_heads SET last_hash = @h WHERE chain = @c" : "UPDATE chain_heads SET length = length + 1 WHERE chain = @c",
                    ("@h", System.Security.Cryptography.RandomNumberGenerator.GetBytes(RecordChain.HashLength)), ("@c", chain));
                return $"chain_heads {chain}: {(hash ? "last hash" : "length")} changed";
            }

            var columns = RecordChain.AccountHeads[table];
            var account = await ScalarAsync($"SELECT account_id FROM {table} WHERE id = @id", id);
            await Execute(connection, hash
                    ? $"UPDATE accounts SET {columns.HashColumn} = @h WHERE id = @a"
                    : $"UPDATE accounts SET {columns.LengthColumn} = {columns.LengthColumn} - 1 WHERE id = @a",
                ("@h", System.Security.Cryptography.RandomNumberGenerator.GetBytes(RecordChain.HashLength)), ("@a", account));
            return $"accounts {account}: {(hash ? columns.HashColumn : columns.LengthColumn)} changed";
        }

        private async Task<object?> ScalarAsync(string sql, long id)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@id";
            parameter.Value = id;
            command.Parameters.Add(parameter);
            var value = await command.ExecuteScalarAsync(Cancel);
            return value is DBNull ? null : value;
        }

        private static DateOnly ToDate(object? value) => value switch
        {
            DateOnly date => date,
            DateTime time => DateOnly.FromDateTime(time),
            string text => DateOnly.Parse(text, CultureInfo.InvariantCulture),
            _ => throw new InvalidOperationException($"not a date: {value}"),
        };

        private static DateTime ToInstant(object? value) => value switch
        {
            DateTime time => DateTime.SpecifyKind(time, DateTimeKind.Utc),
            string text => DateTime.SpecifyKind(DateTime.Parse(text, CultureInfo.InvariantCulture), DateTimeKind.Utc),
            _ => throw new InvalidOperationException($"not an instant: {value}"),
        };
    }
}
