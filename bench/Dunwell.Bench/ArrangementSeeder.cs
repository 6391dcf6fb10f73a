using System.Globalization;
using System.Text.Json;
using Dunwell.Data;
using Dunwell.Domain.Amounts;
using Dunwell.Domain.Arrangements;
using Dunwell.Domain.Ledger;
using Dunwell.Features.Arrangements;
using Dunwell.Features.CreditorPolicies;
using Dunwell.Features.Imports;
using Microsoft.Data.Sqlite;
using NodaTime;

namespace Dunwell.Bench;

/// <summary>What the seeded rows are, and what evaluating them for the date must report (from the domain function).</summary>
internal sealed record Expected(int Arrangements, int Promises, int Plans, int Settlements, int Instalments, int Payments, int Reversals,
    EvaluationSummary First, EvaluationSummary Again)
{
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"seeded {Arrangements:N0} active arrangements ({Promises:N0} promises, {Plans:N0} plans, {Settlements:N0} settlements) with {Instalments:N0} instalments, {Payments:N0} payments towards them, {Reversals:N0} of them reversed");
}

/// <summary>
/// Active arrangements on <c>count</c> accounts picked at random among those that owe something and are not in an
/// arrangement, written in one transaction with prepared statements: the rows proposing and activating one would leave
/// (a policy version per creditor, the arrangement and its instalments, the account in arrangement, the recap and
/// reminders queued, the note on the timeline; not the audit event, which evaluation never reads), then payments towards
/// some instalments (on time, late, half, only the first, none, or paid and then reversed).
/// </summary>
internal static class ArrangementSeeder
{
    private const string Agent = "agent";

    private enum Behaviour
    {
        OnTime,
        Late,
        Half,
        FirstOnly,
        Nothing,
        Bounced,
    }

    private readonly record struct Candidate(long Id, long DebtorId, long CreditorId, string Currency, Components Balance);

    private sealed record Payment(long Id, LocalDate PaidOn, long Amount, Components Allocation);

    public static async Task<Expected> SeedAsync(string path, int count, LocalDate date, int seed)
    {
        await using var connection = new SqliteConnection($"Data Source={path}");
        await connection.OpenAsync();
        DatabaseSetup.ApplySqlitePragmas(connection);
        await Execute(connection, "PRAGMA cache_size=-131072");

        var zones = new Dictionary<long, DateTimeZone>();
        await Read(connection, "SELECT id, time_zone FROM creditors", r => zones[r.GetInt64(0)] = DateTimeZoneProviders.Tzdb.GetZoneOrNull(r.GetString(1)) ?? DateTimeZone.Utc);
        var candidates = new List<Candidate>();
        await Read(connection,
            "SELECT a.id, a.debtor_id, a.creditor_id, a.currency, sum(e.principal), sum(e.interest), sum(e.fees) FROM accounts a JOIN ledger_entries e ON e.account_id = a.id " +
            "WHERE a.status = 'Active' GROUP BY a.id ORDER BY a.id",
            r =>
            {
                var balance = new Components(r.GetInt64(4), r.GetInt64(5), r.GetInt64(6));
                if (balance.Total > 0)
                {
                    candidates.Add(new Candidate(r.GetInt64(0), r.GetInt64(1), r.GetInt64(2), r.GetString(3), balance));
                }
            });

        var random = new Random(seed);
        // Selection sampling: exactly `count` accounts, each candidate equally likely, in id order.
        var chosen = new List<Candidate>(count);
        for (var i = 0; i < candidates.Count && chosen.Count < count; i++)
        {
            if (random.Next(candidates.Count - i) < count - chosen.Count)
            {
                chosen.Add(candidates[i]);
            }
        }

        candidates = null;
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
        using var writer = new Writer(connection);
        var policy = CreditorPolicy.Default with
        {
            Settlement = new SettlementRules(Allowed: true, [new DiscountBand(0, 1_000), new DiscountBand(180, 3_000)], [], PayWithinDays: 14),
        };
        var policyJson = JsonSerializer.Serialize(policy, PolicyStore.Json);
        var policyVersions = new Dictionary<long, long>();
        foreach (var creditor in zones.Keys.Order())
        {
            policyVersions[creditor] = policyVersions.Count + 1;
            writer.PolicyVersion.Execute([policyVersions[creditor], creditor, 1, policyJson, "admin@bench.example", Utc(date.PlusDays(-90), 9)]);
        }

        var ledgerId = await Scalar(connection, "SELECT coalesce(max(id), 0) FROM ledger_entries");
        var interactionId = await Scalar(connection, "SELECT coalesce(max(id), 0) FROM interactions");
        long arrangementId = 0, instalmentId = 0, outboxId = 0;
        int promises = 0, plans = 0, settlements = 0, instalmentCount = 0, paymentCount = 0, reversals = 0;
        int kept = 0, completed = 0, broken = 0, defaulted = 0, tasks = 0, stillActive = 0;

        foreach (var account in chosen)
        {
            var arrangement = Propose(random, account, date, ++arrangementId, policyVersions[account.CreditorId]);
            switch (arrangement.Kind)
            {
                case ArrangementKind.Promise: promises++; break;
                case ArrangementKind.Plan: plans++; break;
                case ArrangementKind.Settlement: settlements++; break;
            }

            var createdAt = arrangement.CreatedAt.ToDateTimeUtc();
            writer.Arrangement.Execute([arrangement.Id, arrangement.AccountId, arrangement.Kind.ToString(), nameof(ArrangementState.Active), arrangement.Currency,
                arrangement.TotalMinor, arrangement.DiscountMinor, arrangement.Frequency?.ToString(), arrangement.BalanceMinor, arrangement.CreatedBy,
                arrangement.CreatedByRole, createdAt, arrangement.PolicyVersionId, "[]", ledgerId]);
            foreach (var instalment in arrangement.Instalments)
            {
                writer.Instalment.Execute([++instalmentId, arrangement.Id, instalment.Number, instalment.DueOn.ToDateOnly(), instalment.AmountMinor]);
                instalmentCount++;
            }

            // ArrangementActivation: the account is in arrangement, a recap now and a reminder ahead of each payment date.
            writer.AccountInArrangement.Execute([account.Id, createdAt]);
            writer.Outbox.Execute([++outboxId, account.Id, "arrangement-recap", createdAt, arrangement.Id, $"recap:{arrangement.Id}", createdAt]);
            foreach (var instalment in arrangement.Instalments)
            {
                var sendAfter = instalment.DueOn.PlusDays(-ArrangementActivation.ReminderDaysBefore).AtStartOfDayInZone(zones[account.CreditorId]).ToInstant();
                if (sendAfter > arrangement.CreatedAt)
                {
                    writer.Outbox.Execute([++outboxId, account.Id, "instalment-reminder", sendAfter.ToDateTimeUtc(), arrangement.Id, $"reminder:{arrangement.Id}:{instalment.Number}", createdAt]);
                }
            }

            writer.Note.Execute([++interactionId, account.Id, account.DebtorId, createdAt, arrangement.CreatedBy, $"{ProposeArrangement.Describe(arrangement)} agreed."]);

            // Payments towards it, allocated as a payment is (fees, interest, then principal), and perhaps one reversed.
            var balance = account.Balance;
            var payments = new List<Payment>();
            var behaviour = Pick(random);
            foreach (var instalment in arrangement.Instalments)
            {
                var (paidOn, amount) = behaviour switch
                {
                    Behaviour.OnTime or Behaviour.Bounced => (Max(instalment.DueOn.PlusDays(-random.Next(0, 4)), arrangement.CreatedAt.InUtc().Date), instalment.AmountMinor),
                    Behaviour.Late => (instalment.DueOn.PlusDays(random.Next(1, 11)), instalment.AmountMinor),
                    Behaviour.Half => (instalment.DueOn, Math.Max(1, instalment.AmountMinor / 2)),
                    Behaviour.FirstOnly when instalment.Number == 1 => (instalment.DueOn, instalment.AmountMinor),
                    _ => (instalment.DueOn, 0L),
                };
                if (amount == 0 || paidOn > date)
                {
                    continue;
                }

                var allocation = PaymentAllocation.Allocate(balance, amount);
                balance += allocation;
                var payment = new Payment(++ledgerId, paidOn, amount, allocation);
                payments.Add(payment);
                writer.Payment.Execute([payment.Id, account.Id, allocation.Principal, allocation.Interest, allocation.Fees, account.Currency, paidOn.ToDateOnly(),
                    Utc(paidOn, 12), $"payment-file:BENCH{payment.Id:D10}", "bank_transfer", $"BENCH{payment.Id:D10}"]);
                paymentCount++;
            }

            if (behaviour == Behaviour.Bounced && payments.Count > 0)
            {
                var bounced = payments[^1];
                payments.RemoveAt(payments.Count - 1);
                var on = Min(bounced.PaidOn.PlusDays(3), date);
                writer.Reversal.Execute([++ledgerId, account.Id, -bounced.Allocation.Principal, -bounced.Allocation.Interest, -bounced.Allocation.Fees, account.Currency,
                    on.ToDateOnly(), Utc(on, 12), bounced.Id, $"BENCH{bounced.Id:D10}", "Returned unpaid by the bank."]);
                reversals++;
            }

            // What evaluation must find: the domain function on the same instalments and payments.
            var result = ArrangementRules.Evaluate(arrangement.Kind, [.. arrangement.Instalments.Select(i => new AgreedInstalment(i.Number, i.DueOn, i.AmountMinor))],
                payments.Select(p => new ReceivedPayment(p.PaidOn, p.Amount)), date, policy.Evaluation);
            tasks += result.Missed;
            switch (result.State)
            {
                case ArrangementState.Kept: kept++; break;
                case ArrangementState.Completed: completed++; break;
                case ArrangementState.Broken: broken++; break;
                case ArrangementState.Defaulted: defaulted++; break;
                default: stillActive++; break;
            }
        }

        await transaction.CommitAsync();
        await Execute(connection, "PRAGMA wal_checkpoint(TRUNCATE)");
        return new Expected(chosen.Count, promises, plans, settlements, instalmentCount, paymentCount, reversals,
            new EvaluationSummary(chosen.Count, kept, completed, broken, defaulted, tasks),
            new EvaluationSummary(stillActive, 0, 0, 0, 0, 0));
    }

    /// <summary>
    /// Terms an agent may agree under the default policy: a promise within 14 days for the balance or half of it, a plan
    /// of the balance over up to six months starting within 30 days, or a settlement 5–10% below the balance within 14 days.
    /// </summary>
    private static Arrangement Propose(Random random, Candidate account, LocalDate date, long id, long policyVersionId)
    {
        var createdOn = date.PlusDays(-random.Next(1, 56));
        var balance = account.Balance.Total;
        var currency = Currency.Of(account.Currency);
        var roll = random.Next(100);
        var kind = roll < 40 || balance < 2 * 2_500 ? ArrangementKind.Promise : roll < 90 ? ArrangementKind.Plan : ArrangementKind.Settlement;
        var total = kind switch
        {
            ArrangementKind.Promise => random.Next(2) == 0 || balance < 200 ? balance : balance / 2,
            ArrangementKind.Settlement => balance - balance * random.Next(500, 1_001) / 10_000,
            _ => balance,
        };
        Frequency? frequency = null;
        List<ArrangementInstalment> instalments;
        if (kind == ArrangementKind.Plan)
        {
            frequency = (Frequency)random.Next(3);
            var most = Math.Min(frequency switch { Frequency.Weekly => 26, Frequency.Fortnightly => 13, _ => 6 }, (int)Math.Min(int.MaxValue, balance / 2_500));
            var schedule = InstalmentSchedule.Generate(new Money(total, currency), createdOn.PlusDays(random.Next(1, 31)), frequency.Value, random.Next(2, most + 1));
            instalments = [.. schedule.Select(i => new ArrangementInstalment { Number = i.Number, DueOn = i.DueOn, AmountMinor = i.Amount.Minor })];
        }
        else
        {
            instalments = [new ArrangementInstalment { Number = 1, DueOn = createdOn.PlusDays(random.Next(1, 15)), AmountMinor = total }];
        }

        return new Arrangement
        {
            Id = id,
            AccountId = account.Id,
            Kind = kind,
            State = ArrangementState.Active,
            Currency = account.Currency,
            TotalMinor = total,
            DiscountMinor = Math.Max(0, balance - total), // as ProposeArrangement records it; only a settlement's is ever posted
            Frequency = frequency,
            BalanceMinor = balance,
            CreatedBy = string.Create(CultureInfo.InvariantCulture, $"agent{random.Next(1, 41):D2}@bench.example"),
            CreatedByRole = Agent,
            CreatedAt = createdOn.At(new LocalTime(random.Next(8, 18), random.Next(60))).InUtc().ToInstant(),
            PolicyVersionId = policyVersionId,
            Instalments = instalments,
        };
    }

    private static Behaviour Pick(Random random) => random.Next(100) switch
    {
        < 50 => Behaviour.OnTime,
        < 60 => Behaviour.Late,
        < 70 => Behaviour.Half,
        < 80 => Behaviour.FirstOnly,
        < 95 => Behaviour.Nothing,
        _ => Behaviour.Bounced,
    };

    private static DateTime Utc(LocalDate date, int hour) => date.At(new LocalTime(hour, 0)).InUtc().ToDateTimeUtc();

    private static LocalDate Max(LocalDate a, LocalDate b) => a > b ? a : b;

    private static LocalDate Min(LocalDate a, LocalDate b) => a < b ? a : b;

    private static async Task Execute(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<long> Scalar(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    private static async Task Read(SqliteConnection connection, string sql, Action<SqliteDataReader> row)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            row(reader);
        }
    }

    /// <summary>The inserts, prepared once and bound by position (the import's <see cref="SqliteStatement"/>).</summary>
    private sealed class Writer(SqliteConnection connection) : IDisposable
    {
        public SqliteStatement PolicyVersion { get; } = new(connection,
            "INSERT INTO creditor_policy_versions (id, creditor_id, version, policy_json, created_by, created_at) VALUES (@p0, @p1, @p2, @p3, @p4, @p5)", 6);

        public SqliteStatement Arrangement { get; } = new(connection,
            "INSERT INTO arrangements (id, account_id, kind, state, currency, total_minor, discount_minor, fee_waiver_minor, frequency, balance_minor, created_by, " +
            "created_by_role, created_at, policy_version_id, policy_findings_json, payments_after_entry_id) " +
            "VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, 0, @p7, @p8, @p9, @p10, @p11, @p12, @p13, @p14)", 15);

        public SqliteStatement Instalment { get; } = new(connection,
            "INSERT INTO arrangement_instalments (id, arrangement_id, number, due_on, amount_minor) VALUES (@p0, @p1, @p2, @p3, @p4)", 5);

        public SqliteStatement AccountInArrangement { get; } = new(connection,
            "UPDATE accounts SET status = 'InArrangement', updated_at = @p1 WHERE id = @p0 AND status = 'Active'", 2);

        public SqliteStatement Outbox { get; } = new(connection,
            "INSERT INTO outbox_messages (id, account_id, channel, template_key, send_after, state, arrangement_id, idempotency_key, created_at) " +
            "VALUES (@p0, @p1, 'Email', @p2, @p3, 'Queued', @p4, @p5, @p6)", 7);

        public SqliteStatement Note { get; } = new(connection,
            "INSERT INTO interactions (id, account_id, debtor_id, channel, direction, occurred_at, recorded_at, author, outcome, conversation, notes) " +
            "VALUES (@p0, @p1, @p2, 'Note', 'Internal', @p3, @p3, @p4, 'Promise', 0, @p5)", 6);

        public SqliteStatement Payment { get; } = new(connection,
            "INSERT INTO ledger_entries (id, account_id, kind, principal, interest, fees, currency, value_date, posted_at, posted_by, idempotency_key, method, reference) " +
            "VALUES (@p0, @p1, 'Payment', @p2, @p3, @p4, @p5, @p6, @p7, 'system:bench', @p8, @p9, @p10)", 11);

        public SqliteStatement Reversal { get; } = new(connection,
            "INSERT INTO ledger_entries (id, account_id, kind, principal, interest, fees, currency, value_date, posted_at, posted_by, reverses_entry_id, reference, note) " +
            "VALUES (@p0, @p1, 'Reversal', @p2, @p3, @p4, @p5, @p6, @p7, 'system:bench', @p8, @p9, @p10)", 11);

        public void Dispose()
        {
            PolicyVersion.Dispose();
            Arrangement.Dispose();
            Instalment.Dispose();
            AccountInArrangement.Dispose();
            Outbox.Dispose();
            Note.Dispose();
            Payment.Dispose();
            Reversal.Dispose();
        }
    }
}
