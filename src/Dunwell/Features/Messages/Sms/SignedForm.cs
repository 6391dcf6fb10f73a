using Microsoft.Extensions.Primitives;

namespace Dunwell.Features.Messages.Sms;

/// <summary>
/// A form the SMS provider posted, accepted only when its <see cref="SmsSignature"/> matches: computed over the public URL
/// it was posted to (<see cref="SmsProviderOptions.PublicBaseUrl"/> + path + query), since behind a proxy the address
/// Dunwell sees is not the one the provider signed. For the receipt and inbound webhooks alike.
/// </summary>
public static class SignedForm
{
    /// <summary>The fields, or null when the provider is not configured, the body is not a form, or the signature is wrong.</summary>
    public static async Task<Dictionary<string, string>?> ReadAsync(HttpContext http, SmsProviderOptions settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(settings);
        if (string.IsNullOrEmpty(settings.AuthToken) || settings.PublicBaseUrl is null || !http.Request.HasFormContentType)
        {
            return null;
        }

        var form = await http.Request.ReadFormAsync(cancellationToken);
        // A repeated field is not something the provider sends: refuse it rather than guess which value was signed.
        if (form.Any(f => f.Value.Count != 1))
        {
            return null;
        }

        var fields = form.ToDictionary(f => f.Key, f => f.Value.ToString(), StringComparer.Ordinal);
        var url = settings.PublicBaseUrl.ToString().TrimEnd('/') + http.Request.Path + http.Request.QueryString;
        var signature = http.Request.Headers.TryGetValue(SmsSignature.Header, out var header) ? header : StringValues.Empty;
        return SmsSignature.Verify(settings.AuthToken, url, fields, signature.Count == 1 ? signature.ToString() : null) ? fields : null;
    }
}
