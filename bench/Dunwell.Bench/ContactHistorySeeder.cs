using System.Globalization;
using System.Text.Json;
using Dunwell.Data;
using Dunwell.Domain.Accounts;
using Dunwell.Domain.Arrangements;
using Dunwell.Domain.Compliance;
using Dunwell.Features.CreditorPolicies;
using Dunwell.Features.Imports;
using Microsoft.Data.Sqlite;
using NodaTime;

namespace Dunwell.Bench;

/// <summary>What the seeder wrote, for the results.</summary>
internal sealed class HistorySeed
{
    public long Interactions { get; set; }

    public long Notes { get; set; }

    public long Calls { get; set; }

    public long Conversations { get; set; }

    public long ComplianceExceptions { get; set; }

    public int AccountsWithoutHistory { get; set; }

    public int HeavilyDialled { get; set; }

    public SortedDictionary<string, int> Flags { get; } = new(StringComparer.Ordinal);

    public int InconvenientTimes { get; set; }

    public int PreferredHours { get; set; }

    public int StatedLocations { get; set; }

    public int OptedOutPhones { get; set; }

    public int Disputes { get; set; }

    public int WrittenDisputes { get; set; }

    public int VerifiedDisputes { get; set; }

    public int ValidationNotices { get; set; }

    public int FirmPolicies { get; set; }

    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"seeded {Interactions:N0} interactions ({Calls:N0} calls, {Conversations:N0} conversations, {Notes:N0} notes, {ComplianceExceptions:N0} flagged exceptions); " +
        $"{AccountsWithoutHistory:N0} accounts with none, {HeavilyDialled:N0} dialled daily for the last seven days; " +
        $"flags {string.Join(", ", Flags.Select(f => $"{f.Key} {f.Value:N0}"))}; {InconvenientTimes:N0} inconvenient times, {PreferredHours:N0} preferred hours, " +
        $"{StatedLocations:N0} stated locations, {OptedOutPhones:N0} opted-out phones; {Disputes:N0} disputes ({WrittenDisputes:N0} written, {VerifiedDisputes:N0} verified); " +
        $"{ValidationNotices:N0} validation notices; {FirmPolicies:N0} creditors with a firm contact policy");
}

/// <summary>
/// Contact histories for an imported portfolio, as agents, the dialler and the outbox would have left them over the
/// 30 days before the instant asked about, written in one transaction with prepared statements into the real schema:
/// <list type="bullet">
/// <item>0–12 interactions per account (a fifth none, a third 1–3, under a third 4–7, the rest 8–12): calls (mostly
/// outbound; no answer, voicemail, busy, wrong number, conversations with their outcomes; some inbound), emails, texts,
/// letters and internal notes, each with the contact used when there is one, a few calls with a recorded compliance
/// exception; and 2% of accounts dialled once a day for the last seven days;</item>
/// <item>debtor flags: cease, attorney (a quarter of them ended), opt-out of calls or emails, bankruptcy, deceased,
/// vulnerable, consent to further calls; inconvenient times, preferred hours, a stated location, an opted-out phone;</item>
/// <item>disputes on 2% of accounts (written or oral, whole or partial, some verified), and the validation notice
/// sent for US consumer accounts a few days after placement;</item>
/// <item>a firm contact policy (stricter hours, no Sundays, five calls a week) for every other creditor.</item>
/// </list>
/// </summary>
internal static class ContactHistorySeeder
{
    private static readonly string[] LocationZones = ["America/Los_Angeles", "America/Chicago", "Europe/London", "America/Denver"];

    private static readonly (TimeOnly From, TimeOnly Until, string? Days)[] TimePatterns =
    [
        (new(0, 0), new(12, 0), null),                        // "not before noon"
        (new(9, 0), new(17, 0), "mon,tue,wed,thu,fri"),       // "not while I'm at work"
        (new(18, 0), new(9, 0), null),                        // "not evenings or early mornings"
        (new(12, 0), new(14, 0), null),                       // "not at lunch"
        (new(0, 0), new(23, 59), "sat,sun"),                  // "not at weekends"
    ];

    private static readonly (TimeOnly From, TimeOnly Until)[] PreferredPatterns = [(new(10, 0), new(16, 0)), (new(17, 0), new(20, 0)), (new(9, 0), new(12, 0))];

    public static async Task<HistorySeed> SeedAsync(string path, Instant at, int seed)
    {
        await using var connection = new SqliteConnection($"Data Source={path}");
        await connection.OpenAsync();
        DatabaseSetup.ApplySqlitePragmas(connection);
        await ExecuteAsync(connection, "PRAGMA cache_size=-131072");

        var accounts = new List<(long Id, long DebtorId)>();
        await ReadAsync(connection, "SELECT id, debtor_id FROM accounts ORDER BY id", r => accounts.Add((r.GetInt64(0), r.GetInt64(1))));
        var maxDebtor = accounts.Count == 0 ? 0 : accounts.Max(a => a.DebtorId);
        var phone = new long[maxDebtor + 1];
        var email = new long[maxDebtor + 1];
        await ReadAsync(connection, "SELECT id, debtor_id, kind FROM debtor_contacts ORDER BY id", r =>
        {
            var debtor = r.GetInt64(1);
            if (debtor > maxDebtor)
            {
                return;
            }

            var kind = r.GetString(2);
            if (kind == nameof(ContactKind.Phone) && phone[debtor] == 0)
            {
                phone[debtor] = r.GetInt64(0);
            }
            else if (kind == nameof(ContactKind.Email) && email[debtor] == 0)
            {
                email[debtor] = r.GetInt64(0);
            }
        });

        var random = new Random(seed);
        var result = new HistorySeed();
        var today = at.InUtc().Date;
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
        using var interaction = new SqliteStatement(connection,
            "INSERT INTO interactions (id, account_id, debtor_id, channel, direction, occurred_at, recorded_at, author, outcome, conversation, notes, " +
            "corrects_interaction_id, contact_id, compliance_exception) VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8, @p9, @p10, NULL, @p11, @p12)", 13);
        using var flag = new SqliteStatement(connection,
            "INSERT INTO debtor_flags (debtor_id, kind, since, until, note, recorded_by, recorded_at) VALUES (@p0, @p1, @p2, @p3, NULL, @p4, @p5)", 6);
        using var dispute = new SqliteStatement(connection,
            "INSERT INTO disputes (account_id, received_at, written, amount_minor, note, verified_at, verified_by, recorded_by, recorded_at) " +
            "VALUES (@p0, @p1, @p2, @p3, NULL, @p4, @p5, @p6, @p7)", 8);
        using var optOut = new SqliteStatement(connection, "UPDATE debtor_contacts SET consent = 'OptedOut', consent_changed_at = @p1 WHERE id = @p0", 2);
        // Times through Microsoft.Data.Sqlite's own binding, so they are stored exactly as EF Core stores a TimeOnly (these are few).
        await using var time = connection.CreateCommand();
        time.CommandText = "INSERT INTO debtor_inconvenient_times (debtor_id, \"from\", until, days) VALUES ($debtor, $from, $until, $days)";
        var (tDebtor, tFrom, tUntil, tDays) = (time.Parameters.Add("$debtor", SqliteType.Integer), time.Parameters.Add("$from", SqliteType.Text),
            time.Parameters.Add("$until", SqliteType.Text), time.Parameters.Add("$days", SqliteType.Text));
        await using var debtorUpdate = connection.CreateCommand();
        debtorUpdate.CommandText = "UPDATE debtors SET contact_from = coalesce($from, contact_from), contact_until = coalesce($until, contact_until), " +
            "location_time_zone = coalesce($zone, location_time_zone) WHERE id = $id";
        var (uId, uFrom, uUntil, uZone) = (debtorUpdate.Parameters.Add("$id", SqliteType.Integer), debtorUpdate.Parameters.Add("$from", SqliteType.Text),
            debtorUpdate.Parameters.Add("$until", SqliteType.Text), debtorUpdate.Parameters.Add("$zone", SqliteType.Text));

        // Every other creditor has its own contact policy: calls 09:00–20:00, none on Sundays, at most five calls a week.
        var firm = CreditorPolicy.Default with
        {
            ContactPolicy = new FirmPolicy
            {
                Hours = new ContactWindow(new LocalTime(9, 0), new LocalTime(20, 0)),
                NoContactDays = new HashSet<IsoDayOfWeek> { IsoDayOfWeek.Sunday },
                MaxContactsPerWeek = new Dictionary<ContactChannel, int> { [ContactChannel.Call] = 5 },
            },
        };
        using (var policy = new SqliteStatement(connection,
            "INSERT INTO creditor_policy_versions (creditor_id, version, policy_json, created_by, created_at) VALUES (@p0, 1, @p1, 'admin@bench.example', @p2)", 3))
        {
            var creditors = new List<long>();
            await ReadAsync(connection, "SELECT id FROM creditors WHERE id % 2 = 0 AND id NOT IN (SELECT creditor_id FROM creditor_policy_versions) ORDER BY id",
                r => creditors.Add(r.GetInt64(0)));
            foreach (var creditor in creditors)
            {
                policy.Execute([creditor, JsonSerializer.Serialize(firm, PolicyStore.Json), at.Minus(Duration.FromDays(90)).ToDateTimeUtc()]);
            }

            result.FirmPolicies = creditors.Count;
        }

        // Debtors, once each.
        foreach (var debtor in accounts.Select(a => a.DebtorId).Distinct())
        {
            void Flag(DebtorFlagKind kind, int daysAgoFrom, int daysAgoTo, bool mayHaveEnded = false)
            {
                var since = today.PlusDays(-random.Next(daysAgoFrom, daysAgoTo + 1));
                LocalDate? until = mayHaveEnded && random.Next(4) == 0 ? since.PlusDays(random.Next(10, 41)) : null;
                if (until >= today)
                {
                    until = null;
                }

                flag.Execute([debtor, kind.ToString(), since.ToDateOnly(), until?.ToDateOnly(), Author(random), since.AtMidnight().InUtc().ToDateTimeUtc()]);
                result.Flags[kind.ToString()] = result.Flags.GetValueOrDefault(kind.ToString()) + 1;
            }

            var roll = random.Next(10_000);
            if (roll < 100)
            {
                Flag(DebtorFlagKind.CeaseCommunication, 1, 120);
            }
            else if (roll < 200)
            {
                Flag(DebtorFlagKind.RepresentedByAttorney, 1, 150, mayHaveEnded: true);
            }
            else if (roll < 230)
            {
                Flag(DebtorFlagKind.Bankruptcy, 1, 200);
            }
            else if (roll < 240)
            {
                Flag(DebtorFlagKind.Deceased, 1, 60);
            }

            if (random.Next(1_000) < 25)
            {
                Flag(DebtorFlagKind.OptOutCalls, 1, 90);
            }

            if (random.Next(1_000) < 10)
            {
                Flag(DebtorFlagKind.OptOutEmail, 1, 90);
            }

            if (random.Next(1_000) < 15)
            {
                Flag(DebtorFlagKind.Vulnerable, 1, 180);
            }

            if (random.Next(1_000) < 3)
            {
                Flag(DebtorFlagKind.ConsentToCalls, 0, 5);
            }

            if (random.Next(100) < 3)
            {
                var (from, until, days) = TimePatterns[random.Next(TimePatterns.Length)];
                (tDebtor.Value, tFrom.Value, tUntil.Value, tDays.Value) = (debtor, from, until, (object?)days ?? DBNull.Value);
                await time.ExecuteNonQueryAsync();
                result.InconvenientTimes++;
            }

            var preferred = random.Next(100) < 4;
            var located = random.Next(1_000) < 5;
            if (preferred || located)
            {
                var (from, until) = PreferredPatterns[random.Next(PreferredPatterns.Length)];
                (uId.Value, uFrom.Value, uUntil.Value) = (debtor, preferred ? from : DBNull.Value, preferred ? until : DBNull.Value);
                uZone.Value = located ? LocationZones[random.Next(LocationZones.Length)] : DBNull.Value;
                await debtorUpdate.ExecuteNonQueryAsync();
                result.PreferredHours += preferred ? 1 : 0;
                result.StatedLocations += located ? 1 : 0;
            }

            if (phone[debtor] != 0 && random.Next(100) < 2)
            {
                optOut.Execute([phone[debtor], at.Minus(Duration.FromDays(random.Next(1, 60))).ToDateTimeUtc()]);
                result.OptedOutPhones++;
            }
        }

        // Accounts: their contact history and disputes.
        long interactionId = await ScalarAsync(connection, "SELECT coalesce(max(id), 0) FROM interactions");
        foreach (var (accountId, debtor) in accounts)
        {
            var heavy = random.Next(100) < 2;
            var roll = random.Next(100);
            var count = heavy ? 7 + random.Next(6) : roll < 20 ? 0 : roll < 55 ? random.Next(1, 4) : roll < 85 ? random.Next(4, 8) : random.Next(8, 13);
            result.AccountsWithoutHistory += count == 0 ? 1 : 0;
            result.HeavilyDialled += heavy ? 1 : 0;
            for (var i = 0; i < count; i++)
            {
                // The dialler's seven: one a day, the last seven local days up to this morning.
                var occurred = heavy && i < 7
                    ? today.PlusDays(-i).At(new LocalTime(13, random.Next(60))).InUtc().ToInstant()
                    : today.PlusDays(-random.Next(0, 30)).At(new LocalTime(13, 0)).InUtc().ToInstant().Plus(Duration.FromMinutes(random.Next(0, 11 * 60)));
                if (occurred >= at)
                {
                    occurred = occurred.Minus(Duration.FromDays(1));
                }

                var (channel, direction, outcome, conversation, contact) = heavy && i < 7
                    ? (InteractionChannel.Call, InteractionDirection.Outbound, OutcomeCode.NoAnswer, false, phone[debtor])
                    : Pick(random, phone[debtor], email[debtor]);
                var exception = channel == InteractionChannel.Call && direction == InteractionDirection.Outbound && random.Next(200) == 0
                    ? "us.reg-f.inconvenient-time: outside 08:00–21:00 in the debtor's local time (12 CFR 1006.6(b)(1)(i))."
                    : null;
                interaction.Execute([++interactionId, accountId, debtor, channel.ToString(), direction.ToString(), occurred.ToDateTimeUtc(),
                    occurred.Plus(Duration.FromMinutes(random.Next(1, 30))).ToDateTimeUtc(), Author(random), outcome.ToString(), conversation ? 1L : 0L,
                    conversation ? "Spoke to the debtor." : channel == InteractionChannel.Note ? "Reviewed the account." : null,
                    contact == 0 ? null : contact, exception]);
                result.Interactions++;
                result.Notes += channel == InteractionChannel.Note ? 1 : 0;
                result.Calls += channel == InteractionChannel.Call ? 1 : 0;
                result.Conversations += conversation ? 1 : 0;
                result.ComplianceExceptions += exception is null ? 0 : 1;
            }

            if (random.Next(100) < 2)
            {
                var received = at.Minus(Duration.FromMinutes(random.Next(60, 40 * 24 * 60)));
                var written = random.Next(100) < 60;
                var verified = random.Next(100) < 30 ? received.Plus(Duration.FromDays(random.Next(5, 21))) : (Instant?)null;
                if (verified >= at)
                {
                    verified = null;
                }

                dispute.Execute([accountId, received.ToDateTimeUtc(), written ? 1L : 0L, random.Next(100) < 20 ? (long)random.Next(5_000, 50_001) : null,
                    verified?.ToDateTimeUtc(), verified is null ? null : "agent01@bench.example", Author(random), received.ToDateTimeUtc()]);
                result.Disputes++;
                result.WrittenDisputes += written ? 1 : 0;
                result.VerifiedDisputes += verified is null ? 0 : 1;
            }
        }

        // The validation notice, sent for US consumer accounts two to six days after placement.
        var sent = Enumerable.Range(0, 5).Select(k => string.Create(CultureInfo.InvariantCulture,
            $"WHEN {k} THEN '{EvaluateBench.PlacedAsOf.PlusDays(2 + k).ToDateOnly():yyyy-MM-dd} 14:00:00'"));
        result.ValidationNotices = await ExecuteAsync(connection,
            $"UPDATE accounts SET validation_notice_sent_at = CASE id % 5 {string.Join(' ', sent)} END " +
            "WHERE kind = 'Consumer' AND creditor_id IN (SELECT id FROM creditors WHERE jurisdiction_pack = 'US-FDCPA')");
        await transaction.CommitAsync();
        await ExecuteAsync(connection, "PRAGMA wal_checkpoint(TRUNCATE)");
        return result;
    }

    /// <summary>
    /// Channel, direction, outcome, whether a conversation took place, and the contact used (0: none recorded).
    /// 55% calls (85% outbound), 20% emails, 8% texts, 10% letters, 7% internal notes.
    /// </summary>
    private static (InteractionChannel, InteractionDirection, OutcomeCode, bool, long) Pick(Random random, long phone, long email)
    {
        var roll = random.Next(100);
        if (roll < 55 && phone != 0)
        {
            var contact = random.Next(10) == 0 ? 0 : phone;
            if (random.Next(100) < 15)
            {
                var inbound = random.Next(100) switch
                {
                    < 60 => OutcomeCode.RightPartyContact,
                    < 85 => OutcomeCode.Promise,
                    < 95 => OutcomeCode.Dispute,
                    _ => OutcomeCode.PaidInFull,
                };
                return (InteractionChannel.Call, InteractionDirection.Inbound, inbound, true, contact);
            }

            var outcome = random.Next(100) switch
            {
                < 40 => OutcomeCode.NoAnswer,
                < 60 => OutcomeCode.LeftMessage,
                < 68 => OutcomeCode.Busy,
                < 70 => OutcomeCode.WrongNumber,
                < 85 => OutcomeCode.RightPartyContact,
                < 91 => OutcomeCode.Promise,
                < 95 => OutcomeCode.CallbackRequested,
                < 98 => OutcomeCode.Refused,
                _ => OutcomeCode.Hardship,
            };
            var conversation = outcome is OutcomeCode.RightPartyContact or OutcomeCode.Promise or OutcomeCode.CallbackRequested or OutcomeCode.Refused or OutcomeCode.Hardship;
            return (InteractionChannel.Call, InteractionDirection.Outbound, outcome, conversation, contact);
        }

        if (roll < 75 && email != 0)
        {
            return (InteractionChannel.Email, random.Next(100) < 85 ? InteractionDirection.Outbound : InteractionDirection.Inbound, OutcomeCode.None, false, email);
        }

        if (roll < 83 && phone != 0)
        {
            return (InteractionChannel.Sms, random.Next(100) < 90 ? InteractionDirection.Outbound : InteractionDirection.Inbound, OutcomeCode.None, false, phone);
        }

        if (roll < 93)
        {
            return (InteractionChannel.Letter, random.Next(100) < 95 ? InteractionDirection.Outbound : InteractionDirection.Inbound, OutcomeCode.None, false, 0);
        }

        return (InteractionChannel.Note, InteractionDirection.Internal, OutcomeCode.None, false, 0);
    }

    private static string Author(Random random) => string.Create(CultureInfo.InvariantCulture, $"agent{random.Next(1, 41):D2}@bench.example");

    private static async Task<int> ExecuteAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteNonQueryAsync();
    }

    private static async Task<long> ScalarAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    private static async Task ReadAsync(SqliteConnection connection, string sql, Action<SqliteDataReader> row)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            row(reader);
        }
    }
}
