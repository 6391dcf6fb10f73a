using Microsoft.EntityFrameworkCore;

namespace Dunwell.Data;

/// <summary>
/// Serialises money-moving writes on one account: the balance is read and the entry written under the same lock, so
/// two payments at the same moment cannot both be allocated to the same fees. Call inside a transaction.
/// </summary>
public static class AccountLock
{
    public static async Task TakeAsync(DunwellDb db, long accountId, CancellationToken cancellationToken)
    {
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("An account lock is only held inside a transaction.");
        }

        if (db.Database.IsNpgsql())
        {
            await db.Database.ExecuteSqlAsync($"SELECT 1 FROM accounts WHERE id = {accountId} FOR UPDATE", cancellationToken);
        }

        // SQLite: EF begins transactions with BEGIN IMMEDIATE, which already holds the database's single write lock.
    }
}
