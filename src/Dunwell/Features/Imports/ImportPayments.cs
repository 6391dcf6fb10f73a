using Dunwell.Data;
using Dunwell.Domain.Accounts;
using Dunwell.Domain.Ledger;
using Dunwell.Features.Arrangements;
using Dunwell.Features.CreditorPolicies;
using Dunwell.Features.Payments;
using Dunwell.Web;
using NodaTime;

namespace Dunwell.Features.Imports;

/// <summary>
/// Imports a payment file (DESIGN §5.4): each reference posts once (idempotency key <c>payment-file:{reference}</c>),
/// allocated exactly as a single payment is (<see cref="PostPayment.Decide"/>), so re-sending a file changes nothing.
/// </summary>
public static class ImportPayments
{
    public const string Kind = "payments";

    public static async Task<ImportReport> RunAsync(DunwellDb db, TimeProvider clock, Stream file, ImportOptions options, CancellationToken cancellationToken)
    {
        var today = clock.Now().InUtc().Date;
        Instant? postedAt = null;
        var report = await ImportRunner.RunAsync<PaymentRow>(
            db, clock, file, Kind, AuditLog.Actions.ImportPayments, PaymentCsv.Columns,
            (line, values) =>
            {
                var (row, errors) = PaymentCsv.Parse(line, values, today);
                return new Parsed<PaymentRow>(line, row, errors.Count > 0 ? errors : null);
            },
            (bulk, now) =>
            {
                postedAt = now;
                return Task.FromResult<IChunkApplier<PaymentRow>>(new PaymentApplier(bulk, now, options.Actor, db.Scope));
            },
            options, cancellationToken);

        // Payments from a file keep or complete promises and plans just as a single payment does. Only the arrangements
        // of accounts this file paid are evaluated: the file's payments carry its posting instant.
        if (report.Applied && report.Created > 0 && postedAt is { } instant)
        {
            await EvaluateArrangements.RunAsync(db, today, null, options.Actor, clock.Now(), cancellationToken, paymentsPostedAt: instant);
        }

        return report;
    }

    public static string IdempotencyKey(string reference) => $"payment-file:{reference}";
}

/// <summary>The database stage of a payment import: accounts, balances and already-posted references per chunk, then inserts.</summary>
internal sealed class PaymentApplier(BulkDb bulk, Instant now, string actor, CreditorScope scope) : IChunkApplier<PaymentRow>
{
    private const string UpdateAccount = "UPDATE accounts SET status = @p1, last_payment_date = @p2, updated_at = @p3 WHERE id = @p0";

    private readonly DateTime _now = now.ToDateTimeUtc();

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
            // On PostgreSQL the accounts are locked before their ledger heads, in the order a single payment takes them.
            "SELECT id, reference, currency, status, last_payment_date, creditor_id FROM accounts WHERE {0} AND " + scope.SqlCondition("creditor_id")
                + (bulk.IsPostgres ? " ORDER BY id FOR UPDATE" : ""),
            "reference", rows.Select(r => r.AccountRef).ToHashSet(StringComparer.Ordinal), r => accounts[r.GetString(1)] = new AccountState
            {
                Id = r.GetInt64(0),
                Currency = r.GetString(2).Trim(),
                Status = Enum.Parse<AccountStatus>(r.GetString(3)),
                LastPaymentDate = r.IsDBNull(4) ? null : LocalDate.FromDateOnly(r.GetFieldValue<DateOnly>(4)),
                CreditorId = r.GetInt64(5),
            });

        var byId = accounts.Values.ToDictionary(a => a.Id);
        await _chains.LoadLedgerHeadsAsync(byId.Keys);
        await bulk.ReadWhereInAsync(
            "SELECT account_id, CAST(SUM(principal) AS BIGINT), CAST(SUM(interest) AS BIGINT), CAST(SUM(fees) AS BIGINT) FROM ledger_entries WHERE {0} GROUP BY account_id",
            "account_id", byId.Keys, r => byId[r.GetInt64(0)].Balance = new Components(r.GetInt64(1), r.GetInt64(2), r.GetInt64(3)));

        // References already posted, by this file's earlier rows or an earlier import: same payment again is a no-op.
        var posted = new Dictionary<string, (long AccountId, long Amount)>(StringComparer.Ordinal);
        await bulk.ReadWhereInAsync(
            "SELECT idempotency_key, account_id, principal + interest + fees FROM ledger_entries WHERE {0}",
            "idempotency_key", rows.Select(r => ImportPayments.IdempotencyKey(r.Reference)).ToHashSet(StringComparer.Ordinal),
            r => posted[r.GetString(0)] = (r.GetInt64(1), -r.GetInt64(2)));

        var changed = new List<AccountState>();
        foreach (var row in rows)
        {
            var key = ImportPayments.IdempotencyKey(row.Reference);
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

            if (posted.TryGetValue(key, out var earlier))
            {
                if (earlier.AccountId == account.Id && earlier.Amount == row.AmountMinor)
                {
                    tally.Unchanged++;
                }
                else
                {
                    tally.Reject(new RowError(row.Line, PaymentCsv.Reference, $"Reference '{row.Reference}' was already used for a different payment."));
                }

                continue;
            }

            var effect = PostPayment.Decide(account.Balance, row.AmountMinor, account.Status, account.LastPaymentDate, row.PaidOn,
                _allocationOrders.GetValueOrDefault(account.CreditorId));
            await _chains.InsertAsync(new LedgerEntry
            {
                Id = await bulk.NextIdAsync("ledger_entries"),
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
            posted[key] = (account.Id, row.AmountMinor);
            account.Balance = effect.BalanceAfter;
            if (effect.Status != account.Status || effect.LastPaymentDate != account.LastPaymentDate)
            {
                account.Status = effect.Status;
                account.LastPaymentDate = effect.LastPaymentDate;
                changed.Add(account);
            }

            tally.Created++;
        }

        foreach (var account in changed.Distinct())
        {
            await bulk.ExecuteAsync(UpdateAccount, account.Id, account.Status.ToString(), account.LastPaymentDate?.ToDateOnly(), _now);
        }

        await _chains.SaveHeadsAsync();
    }

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
