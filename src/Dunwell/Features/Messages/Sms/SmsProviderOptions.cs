using System.Security.Cryptography;
using System.Text;

namespace Dunwell.Features.Messages.Sms;

/// <summary>
/// The SMS provider, a Twilio-style HTTP API (configuration section <c>Dunwell:Sms</c>): messages are created with
/// <c>POST {BaseUrl}/2010-04-01/Accounts/{AccountSid}/Messages.json</c> (form fields To, From, Body, StatusCallback;
/// HTTP basic authentication with the account id and token), and the provider posts delivery receipts and inbound
/// messages back as forms signed with <see cref="SmsSignature"/>.
/// </summary>
public sealed class SmsProviderOptions
{
    public const string Section = "Dunwell:Sms";

    public Uri? BaseUrl { get; set; }

    public string? AccountSid { get; set; }

    /// <summary>A secret: set it in the environment (<c>Dunwell__Sms__AuthToken</c>), never in a committed file.</summary>
    public string? AuthToken { get; set; }

    /// <summary>The number messages come from, in E.164.</summary>
    public string? From { get; set; }

    /// <summary>Dunwell's public address as the provider reaches it (the webhooks are signed over their full URL).</summary>
    public Uri? PublicBaseUrl { get; set; }

    public bool Configured => BaseUrl is not null && !string.IsNullOrEmpty(AccountSid) && !string.IsNullOrEmpty(AuthToken) && !string.IsNullOrEmpty(From);
}

/// <summary>
/// The webhook signature: Base64(HMAC-SHA256(token, url + every form field's name and value, sorted by name)), sent in the
/// <c>X-Provider-Signature</c> header. Like Twilio's scheme, with SHA-256 instead of SHA-1.
/// </summary>
public static class SmsSignature
{
    public const string Header = "X-Provider-Signature";

    public static string Compute(string token, string url, IEnumerable<KeyValuePair<string, string>> form)
    {
        var signed = new StringBuilder(url);
        foreach (var (name, value) in form.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            signed.Append(name).Append(value);
        }

        return Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(token), Encoding.UTF8.GetBytes(signed.ToString())));
    }

    public static bool Verify(string token, string url, IEnumerable<KeyValuePair<string, string>> form, string? signature)
    {
        if (string.IsNullOrEmpty(signature))
        {
            return false;
        }

        var expected = Encoding.ASCII.GetBytes(Compute(token, url, form));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(signature));
    }
}
