using System.Globalization;
using Dunwell.Data;
using Dunwell.Domain.Accounts;
using Dunwell.Domain.Amounts;
using Dunwell.Domain.Ledger;
using Dunwell.Features.Arrangements;
using Dunwell.Features.CreditorPolicies;
using Dunwell.Features.Payments;
using Dunwell.Web;
using NodaTime;

namespace Dunwell.Features.Imports;

/// <summary>
/// Imports a payment file (DESIGN §5.4), allocated exactly as a single payment is (<see cref="PostPayment.Decide"/>).
/// A reference posts once per creditor, as through the API: a row whose reference is already held (by a payment from
/// the API or the page, by another file's different payment, or by an earlier line of this file) is rejected naming
/// its line and column. The one exception keeps re-sending a file harmless: the very payment a file posted before
/// (same account, amount and date) is unchanged. A row paying more than the balance needs <c>overpayment</c> true.
/// </summary>
public static class ImportPayments
{
    public const string Kind = "payments";

    public static Task<ImportReport> RunAsync(DunwellDb db, TimeProvider clock, Stream file, ImportOptions options, CancellationToken cancellationToken)
    {
        var today = clock.Now().InUtc().Date;
        return ImportRunner.RunAsync<PaymentRow>(
            db, clock, file, Kind, AuditLog.Actions.ImportPayments, PaymentCsv.Columns,
            (line, values) =>
            {
                var (row, errors) = PaymentCsv.Parse(line, values, today);
                return new Parsed<PaymentRow>(line, row, errors.Count > 0 ? errors : null);
            },
            (bulk, now) => Task.FromResult<IChunkApplier<PaymentRow>>(new PaymentApplier(bulk, now, options.Actor, db.Scope)),
            // Payments from a file keep or complete promises and plans just as a single payment does, in the import's own
            // transaction (a crash cannot leave payments whose arrangements were never looked at). Only the arrangements of
            // accounts this file paid are evaluated: the file's payments carry its posting instant.
            afterRows: async (tally, postedAt) =>
            {
                if (tally.Created > 0)
                {
                    await EvaluateArrangements.RunAsync(db, today, null, options.Actor, clock.Now(), cancellationToken, paymentsPostedAt: postedAt);
                }
            },
            options, cancellationToken);
    }

    /// <summary>The ledger's idempotency key of a file payment: per creditor, as references are.</summary>
    public static string IdempotencyKey(long creditorId, string reference) => string.Create(CultureInfo.InvariantCulture, $"payment-file:{creditorId}:{reference}");
}

/// <summary>The database stage of a payment import: accounts, balances and already-posted references per chunk, then inserts.</summary>
internal sealed class PaymentApplier(BulkDb bulk, Instant now, string actor, CreditorScope scope) : IChunkApplier<PaymentRow>
{
    private const string InsertReference = "INSERT INTO payment_references (creditor_id, reference, ledger_entry_id) VALUES (@p0, @p1, @p2)";

    // One update per paid account per chunk, its ledger head included.
    private static readonly string UpdateAccount =
        $"UPDATE accounts SET status = @p1, last_payment_date = @p2, updated_at = @p3, {BulkChains.Columns.LengthColumn} = @p4, {BulkChains.Columns.HashColumn} = @p5 WHERE id = @p0";

    private readonly DateTime _now = now.ToDateTimeUtc();

    /// <summary>The line of this file that took each (creditor, reference), so a repeat names it.</summary>
    private readonly Dictionary<(long CreditorId, string Reference), int> _linesOfFile = [];

    private readonly BulkChains _chains = new(bulk);

    /// <summary>Each creditor's allocation order from its policy in force, read once per import.</summary>
    private Dictionary<long, IReadOnlyList<Component>>? _allocationOrders;

    public async Task ApplyAsync(IReadOnlyList<PaymentRow> rows, ImportTally tally)
    {
        if (_allocationOrders is null)
        {
            _allocationOrders = [];
            await bulk.ReadAsync(
                "SELECT v.creditor_id, v.policy_json FROM creditor_policy_versions v " +
                "WHERE v.version = (SELECT MAX(w.version) FROM creditor_policy_versions w WHERE w.creditor_id = v.creditor_id)",
                r => _allocationOrders[r.GetInt64(0)] = PolicyStore.Read(r.GetString(1)).AllocationOrder);
        }

        var accounts = new Dictionary<string, AccountState>(StringComparer.Ordinal);
        await bulk.ReadWhereInAsync(
            // Accounts of creditors out of the caller's scope are not found, exactly like accounts that do not exist.
            // On PostgreSQL the accounts (which hold their ledger heads) are locked in id order, as a single payment takes them.
            $"SELECT id, reference, currency, status, last_payment_date, creditor_id, {BulkChains.Columns.LengthColumn}, {BulkChains.Columns.HashColumn} " +
            "FROM accounts WHERE {0} AND " + scope.SqlCondition("creditor_id") + (bulk.IsPostgres ? " ORDER BY id FOR UPDATE" : ""),
            "reference", rows.Select(r => r.AccountRef).ToHashSet(StringComparer.Ordinal), r =>
            {
                accounts[r.GetString(1)] = new AccountState
                {
                    Id = r.GetInt64(0),
                    Currency = r.GetString(2).Trim(),
                    Status = Enum.Parse<AccountStatus>(r.GetString(3)),
                    LastPaymentDate = r.IsDBNull(4) ? null : LocalDate.FromDateOnly(r.GetFieldValue<DateOnly>(4)),
                    CreditorId = r.GetInt64(5),
                };
                _chains.Known(r.GetInt64(0), r.GetInt64(6), r.IsDBNull(7) ? null : r.GetFieldValue<byte[]>(7));
            });

        var byId = accounts.Values.ToDictionary(a => a.Id);
        await bulk.ReadWhereInAsync(
            "SELECT account_id, CAST(SUM(principal) AS BIGINT), CAST(SUM(interest) AS BIGINT), CAST(SUM(fees) AS BIGINT) FROM ledger_entries WHERE {0} GROUP BY account_id",
            "account_id", byId.Keys, r => byId[r.GetInt64(0)].Balance = new Components(r.GetInt64(1), r.GetInt64(2), r.GetInt64(3)));

        // References already held for these creditors: by the API, the page, or a file (this one's earlier chunks included).
        var held = new Dictionary<(long CreditorId, string Reference), Held>();
        await bulk.ReadWhereInAsync(
            "SELECT r.creditor_id, r.reference, e.id, e.account_id, a.reference, e.value_date, e.idempotency_key, e.principal + e.interest + e.fees " +
            "FROM payment_references r JOIN ledger_entries e ON e.id = r.ledger_entry_id JOIN accounts a ON a.id = e.account_id WHERE {0}",
            "r.reference", rows.Select(r => r.Reference).ToHashSet(StringComparer.Ordinal),
            r => held[(r.GetInt64(0), r.GetString(1))] = new Held(
                new ReferenceHolder(r.GetString(1), r.GetInt64(2), r.GetInt64(3), r.GetString(4), LocalDate.FromDateOnly(r.GetFieldValue<DateOnly>(5))),
                r.IsDBNull(6) ? null : r.GetString(6), -r.GetInt64(7)));

        var paid = new List<AccountState>();
        foreach (var row in rows)
        {
            ImportPause.AtLine(row.Line);
            if (!accounts.TryGetValue(row.AccountRef, out var account))
            {
                tally.Reject(new RowError(row.Line, PaymentCsv.AccountRef, $"No account has account_ref '{row.AccountRef}'."));
                continue;
            }

            if (!string.Equals(account.Currency, row.Currency, StringComparison.Ordinal))
            {
                tally.Reject(new RowError(row.Line, PaymentCsv.Currency, $"Account '{row.AccountRef}' is in {account.Currency}; a payment in {row.Currency} cannot be posted to it."));
                continue;
            }

            var reference = (account.CreditorId, row.Reference);
            var key = ImportPayments.IdempotencyKey(account.CreditorId, row.Reference);
            if (_linesOfFile.TryGetValue(reference, out var earlierLine))
            {
                tally.Reject(new RowError(row.Line, PaymentCsv.Reference, string.Create(CultureInfo.InvariantCulture,
                    $"Reference '{row.Reference}' is already used on line {earlierLine} of this file; a reference posts once per creditor.")));
                continue;
            }

            _linesOfFile[reference] = row.Line;
            if (held.TryGetValue(reference, out var holder))
            {
                // The same payment a file posted before: the file is being sent again.
                if (holder.IdempotencyKey == key && holder.Entry.AccountId == account.Id && holder.AmountMinor == row.AmountMinor && holder.Entry.PaidOn == row.PaidOn)
                {
                    tally.Unchanged++;
                }
                else
                {
                    tally.Reject(new RowError(row.Line, PaymentCsv.Reference, holder.Entry.Describe()));
                }

                continue;
            }

            if (Overpayment.Excess(account.Balance, row.AmountMinor) > 0 && !row.Overpayment)
            {
                tally.Reject(new RowError(row.Line, PaymentCsv.Amount,
                    $"{MoneyText.Written(row.AmountMinor, account.Currency)} is more than the balance of {MoneyText.Written(account.Balance.Total, account.Currency)}; " +
                    $"put true in the {PaymentCsv.Overpayment} column to record it as an overpayment."));
                continue;
            }

            var effect = PostPayment.Decide(account.Balance, row.AmountMinor, account.Status, account.LastPaymentDate, row.PaidOn,
                _allocationOrders.GetValueOrDefault(account.CreditorId));
            var entryId = await bulk.NextIdAsync("ledger_entries");
            await _chains.InsertAsync(new LedgerEntry
            {
                Id = entryId,
                AccountId = account.Id,
                Kind = LedgerEntryKind.Payment,
                Principal = effect.Allocation.Principal,
                Interest = effect.Allocation.Interest,
                Fees = effect.Allocation.Fees,
                Currency = account.Currency,
                ValueDate = row.PaidOn,
                PostedAt = now,
                PostedBy = actor,
                IdempotencyKey = key,
                Method = row.Method,
                Reference = row.Reference,
            });
            await bulk.ExecuteAsync(InsertReference, account.CreditorId, row.Reference, entryId);
            account.Balance = effect.BalanceAfter;
            account.Status = effect.Status;
            account.LastPaymentDate = effect.LastPaymentDate;
            paid.Add(account);

            tally.Created++;
        }

        foreach (var account in paid.Distinct())
        {
            var head = _chains.Of(account.Id);
            await bulk.ExecuteAsync(UpdateAccount, account.Id, account.Status.ToString(), account.LastPaymentDate?.ToDateOnly(), _now, head.Length, head.Hash);
            head.Dirty = false;
        }

        await _chains.SaveHeadsAsync();
    }

    private sealed record Held(ReferenceHolder Entry, string? IdempotencyKey, long AmountMinor);

    private sealed class AccountState
    {
        public long Id { get; init; }

        public long CreditorId { get; init; }

        public required string Currency { get; init; }

        public AccountStatus Status { get; set; }

        public LocalDate? LastPaymentDate { get; set; }

        public Components Balance { get; set; }
    }
}
