using System.Security.Claims;
using Dunwell.Data;
using Dunwell.Web.Auth;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Dunwell.Web;

/// <summary>The audit trail: who read or changed what, when. Reads of personal data are recorded as they happen.</summary>
public static class AuditLog
{
    public static class Actions
    {
        public const string DebtorRead = "debtor.read";
        public const string AccountRead = "account.read";
        public const string AccountSearch = "account.search";
        public const string DebtorCreate = "debtor.create";
        public const string DebtorUpdate = "debtor.update";
        public const string AccountCreate = "account.create";
        public const string PaymentCreate = "payment.create";
        public const string InteractionCreate = "interaction.create";
        public const string AccountUpdate = "account.update";
        public const string DisputeCreate = "dispute.create";
        public const string DisputeVerify = "dispute.verify";
        public const string DisputeRead = "dispute.read";
        public const string ImportPlacements = "import.placements";
        public const string ImportPayments = "import.payments";
        public const string UserCreate = "user.create";
        public const string ApiKeyCreate = "apikey.create";
        public const string ApiKeyRevoke = "apikey.revoke";
        public const string ApiKeySetCreditors = "apikey.set-creditors";
        public const string UserDisable = "user.disable";
        public const string UserEnable = "user.enable";
        public const string UserUnlock = "user.unlock";
        public const string UserSetRole = "user.set-role";
        public const string UserSetCreditors = "user.set-creditors";
        public const string UserResetPassword = "user.reset-password";
        public const string SignOut = "user.signout";
        public const string CreditorCreate = "creditor.create";
        public const string CreditorUpdate = "creditor.update";
        public const string SignIn = "user.signin";
        public const string ReferenceRateCreate = "reference-rate.create";
        public const string ReferenceRateCorrect = "reference-rate.correct";
        public const string ReferenceRateWithdraw = "reference-rate.withdraw";
        public const string LedgerRead = "ledger.read";
        public const string OptionsRead = "options.read";
        public const string ChargesRead = "charges.read";
        public const string ArrangementRead = "arrangement.read";
        public const string ApprovalsRead = "approvals.read";
        public const string AuditRead = "audit.read";
    }

    /// <summary>Adds the event to the context; it is written with the caller's next SaveChanges.</summary>
    /// <remarks>Fields are cut to their column sizes: an over-long search term must not turn a read into a failure.</remarks>
    public static void Add(DunwellDb db, string actor, string action, string subject, Instant at, string? detail = null) =>
        db.AuditEvents.Add(Event(actor, action, subject, at, detail));

    internal static AuditEvent Event(string actor, string action, string subject, Instant at, string? detail) =>
        new()
        {
            Actor = Cut(actor, 256),
            Action = Cut(action, 64),
            Subject = Cut(subject, 128),
            At = at,
            Detail = detail is null ? null : Cut(detail, 2000),
        };

    private static string Cut(string text, int length) => text.Length <= length ? text : string.Concat(text.AsSpan(0, length - 1), "…");

    public static void Add(DunwellDb db, ClaimsPrincipal principal, string action, string subject, Instant at, string? detail = null) =>
        Add(db, Actor.Of(principal), action, subject, at, detail);

    /// <summary>Records a read at once (reads have no other save to ride on).</summary>
    public static Task RecordReadAsync(DunwellDb db, ClaimsPrincipal principal, string action, string subject, Instant at, CancellationToken cancellationToken) =>
        RecordReadsAsync(db, principal, at, [new Read(action, subject)], cancellationToken);

    /// <summary>One read of personal data: what was read (action), about whom (subject) and, if useful, which part.</summary>
    public sealed record Read(string Action, string Subject, string? Detail = null);

    /// <summary>
    /// Records reads without waiting for the main database's write lock: on SQLite they go to the audit spool (a small
    /// file of its own, moved into audit_events in the background), so a read never queues behind a long import; on
    /// PostgreSQL, where writers do not block each other, they are written at once. See docs/audit-trail.md.
    /// </summary>
    public static Task RecordReadsAsync(DunwellDb db, ClaimsPrincipal principal, Instant at, IReadOnlyCollection<Read> reads, CancellationToken cancellationToken) =>
        RecordReadsAsync(db, Actor.Of(principal), at, reads, cancellationToken);

    /// <summary>As above, for an actor that is not a signed-in caller (the CLI).</summary>
    public static async Task RecordReadsAsync(DunwellDb db, string actor, Instant at, IReadOnlyCollection<Read> reads, CancellationToken cancellationToken)
    {
        if (reads.Count == 0)
        {
            return;
        }

        var events = reads.Select(r => Event(actor, r.Action, r.Subject, at, r.Detail)).ToList();
        if (Features.Audit.AuditSpool.Of(db) is { } spool)
        {
            await spool.WriteAsync(events, cancellationToken);
            return;
        }

        db.AuditEvents.AddRange(events);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>A read of one account's data, recorded under its debtor (so "who saw debtor X" is one query) naming the account.</summary>
    public static async Task RecordAccountReadAsync(
        DunwellDb db, ClaimsPrincipal principal, string action, long accountId, Instant at, CancellationToken cancellationToken, string? detail = null)
    {
        var debtorId = await db.Accounts.Where(a => a.Id == accountId).Select(a => (long?)a.DebtorId).SingleOrDefaultAsync(cancellationToken);
        var subject = debtorId is { } id ? $"debtor:{id}" : $"account:{accountId}";
        await RecordReadAsync(db, principal, action, subject, at, $"account:{accountId}" + (detail is null ? "" : $"; {detail}"), cancellationToken);
    }

    public static Task RecordReadAsync(DunwellDb db, ClaimsPrincipal principal, string action, string subject, Instant at, string? detail, CancellationToken cancellationToken) =>
        RecordReadsAsync(db, principal, at, [new Read(action, subject, detail)], cancellationToken);
}
