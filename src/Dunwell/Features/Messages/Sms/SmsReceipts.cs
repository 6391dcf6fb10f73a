using Dunwell.Data;
using Dunwell.Domain.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NodaTime;

namespace Dunwell.Features.Messages.Sms;

/// <summary>
/// The provider's delivery receipts (<c>POST /webhooks/sms/status</c>), signed with <see cref="SmsSignature"/> over the
/// public URL. Matched to the message by the provider's id. A receipt only ever moves a message forward from Sent:
/// "delivered" to Delivered, "undelivered" or "failed" to Bounced (recorded on the contact and the timeline). A replayed
/// or late receipt (a "sent" after "delivered", a second "failed") changes nothing.
/// </summary>
internal static class SmsReceipts
{
    public const string Path = "/webhooks/sms/status";

    /// <summary>Where the provider posts receipts, as it must sign it; null until the public address is configured.</summary>
    public static string? CallbackUrl(SmsProviderOptions settings) =>
        settings.PublicBaseUrl is null ? null : settings.PublicBaseUrl.ToString().TrimEnd('/') + Path;

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost(Path, async (HttpContext http, DunwellDb db, CreditorScope scope, IOptions<SmsProviderOptions> options, TimeProvider clock,
                CancellationToken cancellationToken) =>
            {
                var form = await SignedForm.ReadAsync(http, options.Value, cancellationToken);
                if (form is null)
                {
                    return Results.StatusCode(StatusCodes.Status403Forbidden);
                }

                // The provider acts for no creditor of its own: the message it names is found wherever it is.
                scope.AllowAll();
                var sid = form.GetValueOrDefault("MessageSid");
                var status = form.GetValueOrDefault("MessageStatus")?.Trim().ToLowerInvariant();
                if (string.IsNullOrEmpty(sid) || string.IsNullOrEmpty(status))
                {
                    return Results.BadRequest("MessageSid and MessageStatus are required.");
                }

                var message = await db.Outbox.SingleOrDefaultAsync(m => m.Channel == InteractionChannel.Sms && m.ProviderMessageId == sid, cancellationToken);
                if (message is null)
                {
                    return Results.NotFound();
                }

                await ApplyAsync(db, message, status, form.GetValueOrDefault("ErrorCode"), clock.Now(), cancellationToken);
                return Results.NoContent();
            })
            .AllowAnonymous()
            .DisableAntiforgery()
            .ExcludeFromDescription();

    private static async Task ApplyAsync(DunwellDb db, OutboxMessage message, string status, string? errorCode, Instant at, CancellationToken cancellationToken)
    {
        if (message.State != OutboxState.Sent)
        {
            return; // already delivered or bounced (a replay, or a receipt overtaken by a later one), or not ours to move
        }

        switch (status)
        {
            case "delivered":
                // Only from Sent: a concurrent receipt that got there first wins, and Delivered never goes back.
                await db.Outbox.Where(m => m.Id == message.Id && m.State == OutboxState.Sent)
                    .ExecuteUpdateAsync(s => s.SetProperty(m => m.State, OutboxState.Delivered), cancellationToken);
                break;
            case "undelivered" or "failed":
                var reason = $"the SMS provider reported it {status}" + (string.IsNullOrWhiteSpace(errorCode) ? "" : $" (error {errorCode.Trim()})");
                await DeliveryFailures.RecordBounceAsync(db, message.Id, reason, at, cancellationToken);
                break;
            default:
                break; // queued, sending, sent: nothing new
        }
    }
}
