using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Dunwell.Data;
using Dunwell.Domain.Compliance;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Dunwell.Features.Messages.Sms;

/// <summary>
/// Sends a text through the provider (<see cref="SmsProviderOptions"/>). The provider takes no idempotency key, so once
/// the request may have reached it (a timeout, a connection dropped mid-answer) the outcome is <see cref="SendResult.Unknown"/>
/// and the message is reconciled by a person, never sent again automatically.
/// </summary>
public sealed class SmsSender(IHttpClientFactory clients, IOptions<SmsProviderOptions> options, IServiceScopeFactory scopes) : IChannelSender
{
    /// <summary>The named HTTP client; its timeout (30 s unless configured otherwise) bounds one attempt.</summary>
    public const string ClientName = "dunwell-sms";

    public ContactChannel Channel => ContactChannel.Sms;

    public async Task<SendOutcome> SendAsync(Outgoing message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var settings = options.Value;
        if (!settings.Configured)
        {
            return new(SendResult.Transient, null, $"The SMS provider is not configured ({SmsProviderOptions.Section}: BaseUrl, AccountSid, AuthToken, From); nothing was sent.");
        }

        var from = await SenderNumberAsync(message.CreditorId, cancellationToken) ?? settings.From!;
        var fields = new Dictionary<string, string> { ["To"] = message.To, ["From"] = from, ["Body"] = message.Text };
        if (SmsReceipts.CallbackUrl(settings) is { } callback)
        {
            fields["StatusCallback"] = callback;
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, MessagesUrl(settings)) { Content = new FormUrlEncodedContent(fields) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{settings.AccountSid}:{settings.AuthToken}")));

        HttpResponseMessage response;
        try
        {
            response = await clients.CreateClient(ClientName).SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException e) when (e.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError)
        {
            return new(SendResult.Transient, null, $"Could not reach the SMS provider ({e.HttpRequestError}): nothing was sent.");
        }
        catch (HttpRequestException e)
        {
            return new(SendResult.Unknown, null, $"The connection to the SMS provider failed after the request was sent ({e.HttpRequestError}: {e.Message}); it may have been sent.");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new(SendResult.Unknown, null, "The SMS provider did not answer in time after the request was sent; it may have been sent.");
        }

        using (response)
        {
            return await OutcomeAsync(response, cancellationToken);
        }
    }

    /// <summary>What the provider's answer means for the message; the provider's own words are kept as the evidence.</summary>
    internal static async Task<SendOutcome> OutcomeAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        string body;
        try
        {
            body = await response.Content.ReadAsStringAsync(cancellationToken);
        }
        catch (HttpRequestException e) when (response.IsSuccessStatusCode)
        {
            return new(SendResult.Unknown, null, $"The SMS provider answered {status} but the answer was cut off ({e.Message}); it may have been sent.");
        }
        catch (HttpRequestException)
        {
            body = "";
        }

        var (sid, code, text) = Read(body);
        var said = text is null ? "" : $": {text}";
        if (response.IsSuccessStatusCode)
        {
            return sid is null
                ? new(SendResult.Unknown, null, $"The SMS provider answered {status} without a message id; it may have been sent but its receipts cannot be matched.")
                : new(SendResult.Accepted, sid, $"Accepted by the SMS provider as {sid}.");
        }

        return response.StatusCode switch
        {
            HttpStatusCode.TooManyRequests => new(SendResult.Transient, null, $"The SMS provider asked us to slow down (429){said}; nothing was sent."),
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden =>
                new(SendResult.Transient, null, $"The SMS provider refused Dunwell's credentials ({status}){said}; nothing was sent. Check {SmsProviderOptions.Section}."),
            _ when status >= 500 => new(SendResult.Transient, null, $"The SMS provider failed ({status}){said}; nothing was sent."),
            _ => new(SendResult.Rejected, null, $"The SMS provider refused the message ({status}{(code is null ? "" : $", code {code}")}){said}."),
        };
    }

    private static (string? Sid, string? Code, string? Message) Read(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return (null, null, null);
            }

            string? Text(string name) => root.TryGetProperty(name, out var value) ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number => value.GetRawText(),
                _ => null,
            } : null;
            return (Text("sid") is { Length: > 0 } sid ? sid : null, Text("code"), Text("message"));
        }
        catch (JsonException)
        {
            return (null, null, body.Length == 0 ? null : body[..Math.Min(body.Length, 200)]);
        }
    }

    private static Uri MessagesUrl(SmsProviderOptions settings) =>
        new(new Uri(settings.BaseUrl!.ToString().TrimEnd('/') + "/"), $"2010-04-01/Accounts/{Uri.EscapeDataString(settings.AccountSid!)}/Messages.json");

    /// <summary>The creditor's own sender number when it has one (read in a unit of work of its own, as the system).</summary>
    private async Task<string?> SenderNumberAsync(long creditorId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<CreditorScope>().AllowAll();
        var db = scope.ServiceProvider.GetRequiredService<DunwellDb>();
        var number = await db.Creditors.Where(c => c.Id == creditorId).Select(c => c.SmsSender).SingleOrDefaultAsync(cancellationToken);
        return string.IsNullOrWhiteSpace(number) ? null : number.Trim();
    }
}
