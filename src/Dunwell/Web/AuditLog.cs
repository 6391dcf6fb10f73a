using System.Security.Claims;
using Dunwell.Data;
using Dunwell.Web.Auth;
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
    }

    /// <summary>Adds the event to the context; it is written with the caller's next SaveChanges.</summary>
    /// <remarks>Fields are cut to their column sizes: an over-long search term must not turn a read into a failure.</remarks>
    public static void Add(DunwellDb db, string actor, string action, string subject, Instant at, string? detail = null) =>
        db.AuditEvents.Add(new AuditEvent
        {
            Actor = Cut(actor, 256),
            Action = Cut(action, 64),
            Subject = Cut(subject, 128),
            At = at,
            Detail = detail is null ? null : Cut(detail, 2000),
        });

    private static string Cut(string text, int length) => text.Length <= length ? text : string.Concat(text.AsSpan(0, length - 1), "…");

    public static void Add(DunwellDb db, ClaimsPrincipal principal, string action, string subject, Instant at, string? detail = null) =>
        Add(db, Actor.Of(principal), action, subject, at, detail);

    /// <summary>Records a read at once (reads have no other save to ride on).</summary>
    public static async Task RecordReadAsync(DunwellDb db, ClaimsPrincipal principal, string action, string subject, Instant at, CancellationToken cancellationToken)
    {
        Add(db, principal, action, subject, at);
        await db.SaveChangesAsync(cancellationToken);
    }
}
