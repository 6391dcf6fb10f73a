using System.Globalization;
using System.Security.Claims;
using Dunwell.Data;
using Dunwell.Domain.Accounts;
using Dunwell.Features.Compliance;
using Dunwell.Web;
using Dunwell.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using NodaTime.Text;

namespace Dunwell.Features.Templates;

/// <summary>
/// "Resend invoice copy": queues an invoice-copy message on the debtor's preferred channel (email when none), once per
/// account and day in the creditor's calendar, so a second click or a retried request queues nothing more. The
/// compliance gate screens it like every other message. POST /api/v1/accounts/{id}/invoice-copy, and the account
/// page's button (a form post back to the page).
/// </summary>
public static class ResendInvoiceCopy
{
    public sealed record Response(long AccountId, long MessageId, string State, bool AlreadyQueued, string? HeldReason);

    public static void Map(IEndpointRouteBuilder api, IEndpointRouteBuilder app)
    {
        api.MapPost("/accounts/{id:long}/invoice-copy", async Task<Results<Ok<Response>, ProblemHttpResult>> (
                long id, DunwellDb db, TimeProvider clock, IDateTimeZoneProvider zones, ClaimsPrincipal user, CancellationToken cancellationToken) =>
            {
                var queued = await QueueAsync(db, id, user, clock.Now(), zones, cancellationToken);
                return queued is null ? ApiProblems.NotFound("account", id) : TypedResults.Ok(queued);
            })
            .WithName(nameof(ResendInvoiceCopy)).WithSummary("Queue a copy of the invoice to the customer (once per account and day)")
            .WithTags("Templates").RequireAuthorization(Policies.Agent);

        app.MapPost("/accounts/{id:long}/invoice-copy", async (long id, DunwellDb db, TimeProvider clock, IDateTimeZoneProvider zones, ClaimsPrincipal user,
                CancellationToken cancellationToken) =>
            await QueueAsync(db, id, user, clock.Now(), zones, cancellationToken) is null
                ? Results.NotFound()
                : Results.Redirect($"/accounts/{id}#invoice-copy"))
            .RequireAuthorization(Policies.Agent);
    }

    public static string KeyFor(long accountId, LocalDate day) =>
        string.Create(CultureInfo.InvariantCulture, $"invoice-copy:{accountId}:{LocalDatePattern.Iso.Format(day)}");

    /// <summary>The key of the copy for the creditor's today: one a day, by the creditor's calendar.</summary>
    private static string TodayKey(long accountId, string creditorTimeZone, Instant now, IDateTimeZoneProvider zones) =>
        KeyFor(accountId, now.InZone(zones.GetZoneOrNull(creditorTimeZone) ?? DateTimeZone.Utc).Date);

    /// <summary>Whether the account's copy for the creditor's today is already queued (one a day).</summary>
    public static Task<bool> QueuedTodayAsync(DunwellDb db, long accountId, string creditorTimeZone, Instant now, IDateTimeZoneProvider zones, CancellationToken cancellationToken)
    {
        var key = TodayKey(accountId, creditorTimeZone, now, zones);
        return db.Outbox.AnyAsync(m => m.IdempotencyKey == key, cancellationToken);
    }

    public static async Task<Response?> QueueAsync(DunwellDb db, long accountId, ClaimsPrincipal user, Instant now, IDateTimeZoneProvider zones, CancellationToken cancellationToken)
    {
        var account = await db.Accounts.Where(a => a.Id == accountId)
            .Select(a => new { a.Id, a.Creditor.TimeZone, a.Debtor.PreferredChannel })
            .SingleOrDefaultAsync(cancellationToken);
        if (account is null)
        {
            return null;
        }

        var key = TodayKey(accountId, account.TimeZone, now, zones);
        if (await db.Outbox.SingleOrDefaultAsync(m => m.IdempotencyKey == key, cancellationToken) is { } existing)
        {
            return new Response(accountId, existing.Id, existing.State.ToString(), true, existing.HeldReason);
        }

        var message = new OutboxMessage
        {
            AccountId = accountId,
            Channel = account.PreferredChannel is InteractionChannel.Sms or InteractionChannel.Letter ? account.PreferredChannel.Value : InteractionChannel.Email,
            TemplateKey = TemplatePurposes.InvoiceCopy,
            SendAfter = now,
            State = OutboxState.Queued,
            IdempotencyKey = key,
            CreatedAt = now,
        };
        db.Outbox.Add(message);
        var companions = await ValidationNotice.QueueWithAsync(db, message, now, cancellationToken);
        AuditLog.Add(db, user, "invoice-copy.queue", $"account:{accountId}", now);
        await db.SaveChangesAsync(cancellationToken);
        await OutboxGate.ScreenAsync(db, [message, .. companions], now, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return new Response(accountId, message.Id, message.State.ToString(), false, message.HeldReason);
    }
}
