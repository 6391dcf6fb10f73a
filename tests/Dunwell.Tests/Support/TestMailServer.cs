using System.Text.Json;

namespace Dunwell.Tests.Support;

/// <summary>
/// The real SMTP and IMAP server scripts/test.sh starts on loopback (smtp4dev, a dotnet tool in dotnet-tools.json),
/// named by <c>DUNWELL_TEST_MAIL</c> as <c>smtp=host:port;imap=host:port;api=http://host:port</c>. Tests deliver to
/// it over SMTP and read back through its HTTP API or IMAP. Every test uses its own recipient addresses, so tests
/// sharing the server never see each other's mail. Missing, mail cases are skipped; with CI=true they fail.
/// </summary>
public sealed class TestMailServer
{
    public const string Variable = "DUNWELL_TEST_MAIL";

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    private TestMailServer(string smtpHost, int smtpPort, string imapHost, int imapPort, Uri api)
    {
        SmtpHost = smtpHost;
        SmtpPort = smtpPort;
        ImapHost = imapHost;
        ImapPort = imapPort;
        Api = api;
    }

    public string SmtpHost { get; }

    public int SmtpPort { get; }

    public string ImapHost { get; }

    public int ImapPort { get; }

    /// <summary>smtp4dev's HTTP API, for reading back what was delivered.</summary>
    public Uri Api { get; }

    /// <summary>The configured server, or the test is skipped (failed under CI=true).</summary>
    public static TestMailServer Require()
    {
        var value = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrEmpty(value))
        {
            Assert.False(TestDatabase.IsCi, $"CI=true but {Variable} is not set: the mail cases must run against a real SMTP/IMAP server.");
            Assert.Skip($"Set {Variable} (scripts/test.sh starts smtp4dev and sets it) to run this case.");
        }

        var parts = value.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .ToDictionary(p => p[0].Trim(), p => p[1].Trim(), StringComparer.OrdinalIgnoreCase);
        var (smtpHost, smtpPort) = HostPort(parts["smtp"]);
        var (imapHost, imapPort) = HostPort(parts["imap"]);
        return new TestMailServer(smtpHost, smtpPort, imapHost, imapPort, new Uri(parts["api"]));
    }

    /// <summary>A recipient address no other test uses.</summary>
    public static string NewAddress(string who = "debtor") => $"{who}-{Guid.NewGuid():N}@mail.test";

    /// <summary>The summaries (id, subject, to) of every message delivered to <paramref name="recipient"/>, newest first.</summary>
    public async Task<IReadOnlyList<DeliveredMail>> DeliveredToAsync(string recipient, CancellationToken cancellationToken = default)
    {
        var found = new List<DeliveredMail>();
        var url = new Uri(Api, $"api/messages?searchTerms={Uri.EscapeDataString(recipient)}&pageSize=500");
        using var document = JsonDocument.Parse(await Http.GetStringAsync(url, cancellationToken));
        foreach (var message in document.RootElement.GetProperty("results").EnumerateArray())
        {
            var to = message.GetProperty("to").EnumerateArray().Select(t => t.GetString() ?? "").ToList();
            if (to.Any(t => t.Contains(recipient, StringComparison.OrdinalIgnoreCase)))
            {
                found.Add(new DeliveredMail(message.GetProperty("id").GetString()!, message.GetProperty("subject").GetString() ?? "", to));
            }
        }

        return found;
    }

    /// <summary>The message's plain-text body, as the server received it.</summary>
    public Task<string> PlainTextAsync(string id, CancellationToken cancellationToken = default) =>
        Http.GetStringAsync(new Uri(Api, $"api/messages/{id}/plaintext"), cancellationToken);

    /// <summary>The message's HTML body, as the server received it.</summary>
    public Task<string> HtmlAsync(string id, CancellationToken cancellationToken = default) =>
        Http.GetStringAsync(new Uri(Api, $"api/messages/{id}/html"), cancellationToken);

    /// <summary>The whole message as received (headers and every part), in MIME form.</summary>
    public Task<string> SourceAsync(string id, CancellationToken cancellationToken = default) =>
        Http.GetStringAsync(new Uri(Api, $"api/messages/{id}/source"), cancellationToken);

    /// <summary>Waits until at least <paramref name="count"/> messages reached <paramref name="recipient"/> (or the time runs out).</summary>
    public async Task<IReadOnlyList<DeliveredMail>> WaitForAsync(string recipient, int count = 1, TimeSpan? within = null, CancellationToken cancellationToken = default)
    {
        var until = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var found = await DeliveredToAsync(recipient, cancellationToken);
            if (found.Count >= count || DateTime.UtcNow > until)
            {
                return found;
            }

            await Task.Delay(200, cancellationToken);
        }
    }

    private static (string Host, int Port) HostPort(string value)
    {
        var colon = value.LastIndexOf(':');
        return (value[..colon], int.Parse(value[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }
}

public sealed record DeliveredMail(string Id, string Subject, IReadOnlyList<string> To);
