using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Dunwell.Features.Messages.Sms;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Dunwell.Tests.Support;

/// <summary>
/// A real HTTP listener on a loopback port standing in for the Twilio-style SMS provider: it takes
/// <c>POST /2010-04-01/Accounts/{sid}/Messages.json</c>, records what it was sent (with the credentials it was sent
/// with), answers with a message id, fails on request, and posts signed forms back to Dunwell the way the provider
/// posts delivery receipts and inbound messages.
/// </summary>
public sealed class TestSmsProvider : IAsyncDisposable
{
    public const string AccountSid = "ACtest0000000000000000000000000001";
    public const string AuthToken = "test-auth-token-not-a-secret";
    public const string From = "+15005550006";

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Failure> _failures = new();
    private readonly ConcurrentQueue<Received> _received = new();
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly HttpClient _webhooks = new();
    private int _next;

    /// <summary>What the provider can be told to do with the next request instead of accepting it.</summary>
    public enum Failure
    {
        TooManyRequests,
        ServerError,
        InvalidNumber,

        /// <summary>Take the request and never answer (until disposed): the sender's timeout runs out.</summary>
        Hang,
    }

    /// <summary>One message the provider took, as it arrived.</summary>
    public sealed record Received(string Sid, string To, string From, string Body, string? StatusCallback, string? User, string? Password);

    private TestSmsProvider(WebApplication app) => _app = app;

    public Uri BaseUrl { get; private set; } = null!;

    public IReadOnlyList<Received> Messages => [.. _received];

    public static async Task<TestSmsProvider> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var provider = new TestSmsProvider(app);
        app.MapPost("/2010-04-01/Accounts/{account}/Messages.json", provider.CreateAsync);
        await app.StartAsync();
        provider.BaseUrl = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First());
        return provider;
    }

    /// <summary>Points Dunwell's settings at this provider; receipts come back to <paramref name="publicBaseUrl"/>.</summary>
    public void Configure(SmsProviderOptions options, Uri? publicBaseUrl)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.BaseUrl = BaseUrl;
        options.AccountSid = AccountSid;
        options.AuthToken = AuthToken;
        options.From = From;
        options.PublicBaseUrl = publicBaseUrl;
    }

    public void FailNext(Failure failure) => _failures.Enqueue(failure);

    /// <summary>Posts a delivery receipt for <paramref name="sid"/> to the callback it was sent with, signed.</summary>
    public Task<HttpResponseMessage> SendReceiptAsync(string sid, string status, string? errorCode = null, string? token = null)
    {
        var message = _received.Single(m => m.Sid == sid);
        var fields = new Dictionary<string, string> { ["MessageSid"] = sid, ["MessageStatus"] = status, ["AccountSid"] = AccountSid, ["To"] = message.To, ["From"] = message.From };
        if (errorCode is not null)
        {
            fields["ErrorCode"] = errorCode;
        }

        return PostSignedAsync(new Uri(message.StatusCallback ?? throw new InvalidOperationException($"{sid} was sent without a StatusCallback.")), fields, token);
    }

    /// <summary>Any form to any URL, signed as the provider signs it (with another token, to test refusals).</summary>
    public Task<HttpResponseMessage> PostSignedAsync(Uri url, IReadOnlyDictionary<string, string> fields, string? token = null)
    {
        ArgumentNullException.ThrowIfNull(url);
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(fields) };
        request.Headers.Add(SmsSignature.Header, SmsSignature.Compute(token ?? AuthToken, url.ToString(), fields));
        return _webhooks.SendAsync(request, TestContext.Current.CancellationToken);
    }

    private async Task<IResult> CreateAsync(HttpContext http, string account)
    {
        var (user, password) = BasicCredentials(http.Request.Headers.Authorization.ToString());
        if (account != AccountSid || user != AccountSid || password != AuthToken)
        {
            return Results.Json(new { code = 20003, message = "Authenticate", status = 401 }, statusCode: 401);
        }

        if (_failures.TryDequeue(out var failure))
        {
            switch (failure)
            {
                case Failure.TooManyRequests:
                    return Results.Json(new { code = 20429, message = "Too Many Requests", status = 429 }, statusCode: 429);
                case Failure.ServerError:
                    return Results.Json(new { code = 20500, message = "Internal Server Error", status = 500 }, statusCode: 500);
                case Failure.InvalidNumber:
                    return Results.Json(new { code = 21211, message = "The 'To' number is not a valid phone number.", status = 400 }, statusCode: 400);
                case Failure.Hang:
                    await _released.Task.WaitAsync(http.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                    return Results.StatusCode(504);
            }
        }

        var form = await http.Request.ReadFormAsync();
        var sid = $"SM{Interlocked.Increment(ref _next):D32}";
        _received.Enqueue(new(sid, form["To"].ToString(), form["From"].ToString(), form["Body"].ToString(),
            form.TryGetValue("StatusCallback", out var callback) ? callback.ToString() : null, user, password));
        return Results.Json(new { sid, status = "queued", to = form["To"].ToString(), from = form["From"].ToString() }, statusCode: 201);
    }

    private static (string? User, string? Password) BasicCredentials(string header)
    {
        if (!header.StartsWith("Basic ", StringComparison.Ordinal))
        {
            return (null, null);
        }

        var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..]));
        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? (decoded, null) : (decoded[..colon], decoded[(colon + 1)..]);
    }

    public async ValueTask DisposeAsync()
    {
        _released.TrySetResult();
        _webhooks.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
