using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Dunwell.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using NodaTime.Text;

namespace Dunwell.Features.Payments;

/// <summary>The payment entry that holds a creditor's reference: what a refused second posting names.</summary>
public sealed record ReferenceHolder(string Reference, long EntryId, long AccountId, string AccountReference, LocalDate PaidOn)
{
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"Reference '{Reference}' is already used by payment entry {EntryId} on account {AccountReference} (id {AccountId}), paid on {LocalDatePattern.Iso.Format(PaidOn)}; a reference posts once per creditor.");
}

/// <summary>
/// A payment reference posts once per creditor, whichever way it comes (API, account page, payment file) and whatever its
/// Idempotency-Key. The <see cref="PaymentReference"/> table's key enforces it in the database; these helpers let a
/// posting find the holder first and answer 409 naming it instead of failing on the key.
/// </summary>
public static class PaymentReferences
{
    /// <summary>Advisory lock space of payment references on PostgreSQL ("PREF"), apart from any other advisory lock.</summary>
    private const int LockSpace = 0x50524546;

    /// <summary>
    /// Serialises postings of one creditor's reference until the transaction ends, so the second sees the first's entry
    /// instead of colliding on the key. SQLite needs nothing: EF Core's BEGIN IMMEDIATE already holds its single write lock.
    /// </summary>
    public static async Task LockAsync(DunwellDb db, long creditorId, string reference, CancellationToken cancellationToken)
    {
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("A payment reference is only locked inside a transaction.");
        }

        if (db.Database.IsNpgsql())
        {
            var key = BitConverter.ToInt32(SHA256.HashData(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{creditorId}\n{reference}"))));
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({LockSpace}, {key})", cancellationToken);
        }
    }

    public static Task<ReferenceHolder?> HolderAsync(DunwellDb db, long creditorId, string reference, CancellationToken cancellationToken) =>
        db.PaymentReferences.AsNoTracking()
            .Where(r => r.CreditorId == creditorId && r.Reference == reference)
            .Select(r => new ReferenceHolder(
                r.Reference, r.LedgerEntryId, r.Entry!.AccountId,
                db.Accounts.Where(a => a.Id == r.Entry.AccountId).Select(a => a.Reference).First(),
                r.Entry.ValueDate))
            .SingleOrDefaultAsync(cancellationToken);

    /// <summary>409 naming the entry that holds the reference (its id, account and date), for the API.</summary>
    public static ProblemHttpResult Conflict(ReferenceHolder holder) => TypedResults.Problem(
        statusCode: StatusCodes.Status409Conflict,
        title: "Payment reference already used",
        detail: holder.Describe(),
        extensions: new Dictionary<string, object?>
        {
            ["field"] = "reference",
            ["entryId"] = holder.EntryId,
            ["accountId"] = holder.AccountId,
            ["accountReference"] = holder.AccountReference,
            ["paidOn"] = LocalDatePattern.Iso.Format(holder.PaidOn),
        });
}
