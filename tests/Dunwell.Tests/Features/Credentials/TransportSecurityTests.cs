using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Dunwell.Tests.Support;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace Dunwell.Tests.Features.Credentials;

/// <summary>
/// Cookies, HSTS, forwarded headers and data-protection keys as a deployment behind a reverse proxy meets them. None of this
/// depends on the database provider, so these run on SQLite only.
/// </summary>
public sealed class TransportSecurityTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static readonly Instant Now = Instant.FromUtc(2026, 3, 2, 15, 0);

    [Fact]
    public async Task Over_https_the_cookies_are_secure_and_hsts_is_sent_over_http_neither()
    {
        await using var database = await TestDatabase.CreateAsync("sqlite");
        await using var app = await TestApp.StartAsync(database, Now);

        var https = await app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://dunwell.example") }).GetAsync("/signin", Cancel);
        var http = await app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("http://dunwell.example") }).GetAsync("/signin", Cancel);

        Assert.All(https.Headers.GetValues("Set-Cookie"), c => Assert.Contains("secure", c, StringComparison.OrdinalIgnoreCase));
        Assert.StartsWith("max-age=31536000", https.Headers.GetValues("Strict-Transport-Security").Single(), StringComparison.Ordinal);
        Assert.All(http.Headers.GetValues("Set-Cookie"), c => Assert.DoesNotContain("secure", c, StringComparison.OrdinalIgnoreCase));
        Assert.False(http.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task X_forwarded_proto_is_believed_from_a_configured_proxy_network_and_ignored_from_anyone_else()
    {
        await using var database = await TestDatabase.CreateAsync("sqlite");
        await using var app = await TestApp.StartAsync(database, Now);
        await using var behindProxy = app.WithWebHostBuilder(b => b.UseSetting("Dunwell:ForwardedHeaders:KnownNetworks:0", "10.0.0.0/8"));

        static Action<HttpContext> From(string address) => c =>
        {
            c.Request.Method = "GET";
            c.Request.Scheme = "http";
            c.Request.Host = new HostString("dunwell.example");
            c.Request.Path = "/signin";
            c.Request.Headers["X-Forwarded-Proto"] = "https";
            c.Connection.RemoteIpAddress = IPAddress.Parse(address);
        };

        var viaProxy = await behindProxy.Server.SendAsync(From("10.1.2.3"), Cancel);
        var spoofed = await behindProxy.Server.SendAsync(From("192.0.2.7"), Cancel);

        Assert.Contains("secure", viaProxy.Response.Headers.SetCookie.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.True(viaProxy.Response.Headers.ContainsKey("Strict-Transport-Security"));
        Assert.DoesNotContain("secure", spoofed.Response.Headers.SetCookie.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.False(spoofed.Response.Headers.ContainsKey("Strict-Transport-Security"));
    }

    [Fact]
    public async Task Data_protection_keys_in_the_configured_folder_are_encrypted_with_the_certificate_and_only_it_reads_them()
    {
        await using var database = await TestDatabase.CreateAsync("sqlite");
        await using var app = await TestApp.StartAsync(database, Now);
        var folder = Directory.CreateTempSubdirectory("dunwell-keys-");
        try
        {
            var certificate = Path.Combine(folder.FullName, "keys.pfx");
            using (var rsa = RSA.Create(2048))
            {
                var request = new CertificateRequest("CN=dunwell-keys", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
                using var made = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
                await File.WriteAllBytesAsync(certificate, made.Export(X509ContentType.Pfx, "pfx-password"), Cancel);
            }

            var keys = folder.CreateSubdirectory("keys").FullName;
            WebApplicationFactory<Program> With(bool withCertificate) => app.WithWebHostBuilder(b =>
            {
                b.UseSetting("Dunwell:DataProtection:KeysDirectory", keys);
                if (withCertificate)
                {
                    b.UseSetting("Dunwell:DataProtection:CertificatePath", certificate);
                    b.UseSetting("Dunwell:DataProtection:CertificatePassword", "pfx-password");
                }
            });

            string payload;
            await using (var first = With(withCertificate: true))
            {
                payload = first.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Protect("session");
            }

            var xml = await File.ReadAllTextAsync(Directory.GetFiles(keys, "*.xml").Single(), Cancel);
            await using var restarted = With(withCertificate: true);
            await using var withoutCertificate = With(withCertificate: false);

            Assert.Contains("EncryptedData", xml, StringComparison.Ordinal);
            Assert.DoesNotContain("<value>", xml, StringComparison.Ordinal);
            Assert.Equal("session", restarted.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Unprotect(payload));
            Assert.ThrowsAny<CryptographicException>(() => withoutCertificate.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Unprotect(payload));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
