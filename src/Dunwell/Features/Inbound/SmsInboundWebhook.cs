using Dunwell.Data;
using Dunwell.Domain.Accounts;
using Dunwell.Features.Messages.Sms;
using Microsoft.AspNetCore.Http.Extensions;

namespace Dunwell.Features.Inbound;

/// <summary>
/// The SMS provider's inbound webhook: a text a customer sent to the creditor's number (form fields From, To, Body,
/// MessageSid), signed with the account's token over the full public URL. Anything unsigned or wrongly signed is
/// refused with 403 and nothing is recorded; the same MessageSid twice is recorded once.
/// </summary>
internal static class SmsInboundWebhook
{
    public const string Path = "/webhooks/sms/inbound";

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost(Path, async (HttpContext http, IConfiguration configuration, DunwellDb db, TimeProvider clock, CancellationToken cancellationToken) =>
            {
                var options = configuration.GetSection(SmsProviderOptions.Section).Get<SmsProviderOptions>() ?? new SmsProviderOptions();
                if (!http.Request.HasFormContentType || string.IsNullOrEmpty(options.AuthToken))
                {
                    return Results.StatusCode(StatusCodes.Status403Forbidden);
                }

                var form = await http.Request.ReadFormAsync(cancellationToken);
                var fields = form.Select(f => new KeyValuePair<string, string>(f.Key, f.Value.ToString())).ToList();
                var url = PublicUrl(options, http.Request);
                if (!SmsSignature.Verify(options.AuthToken, url, fields, http.Request.Headers[SmsSignature.Header].ToString()))
                {
                    return Results.StatusCode(StatusCodes.Status403Forbidden);
                }

                string? Field(string name) => form.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value.ToString() : null;
                if (Field("MessageSid") is not { } sid || Field("From") is not { } from)
                {
                    return Results.Problem(statusCode: StatusCodes.Status400BadRequest, detail: "A signed inbound text needs MessageSid and From.");
                }

                db.Scope.AllowAll(); // the provider acts for no one: matching looks across creditors, the message then belongs to one
                var arrival = new InboundArrival(InteractionChannel.Sms, $"sms:{sid}", from, Field("To"), null, Field("Body") ?? "", clock.Now());
                await RecordInbound.RunAsync(db, arrival, clock.Now(), cancellationToken);
                // The provider only needs to know it arrived; an empty reply sends nothing back to the customer.
                return Results.Text("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response></Response>", "application/xml");
            })
            .AllowAnonymous()
            .DisableAntiforgery();

    /// <summary>The URL the provider signed: the configured public base plus the path and query, else the URL as it arrived.</summary>
    private static string PublicUrl(SmsProviderOptions options, HttpRequest request) =>
        options.PublicBaseUrl is { } publicBase
            ? publicBase.ToString().TrimEnd('/') + request.Path + request.QueryString
            : request.GetEncodedUrl();
}
