using System.Diagnostics;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Dunwell.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.HttpOverrides;

namespace Dunwell.Web;

/// <summary>
/// What running for real behind a reverse proxy needs: the client's scheme and address from trusted proxies only, HSTS,
/// data-protection keys (they sign the session cookies) kept where configured and encrypted at rest, and request logs
/// that carry no personal data. README, "Running behind a reverse proxy / in production", describes the settings.
/// </summary>
public static class ProductionHosting
{
    public const string Section = "Dunwell:DataProtection";

    public static void AddDunwellDataProtection(this IServiceCollection services, IConfiguration configuration)
    {
        var settings = configuration.GetSection(Section);
        var protection = services.AddDataProtection().SetApplicationName("dunwell");
        if (settings["KeysDirectory"] is { Length: > 0 } directory)
        {
            protection.PersistKeysToFileSystem(new DirectoryInfo(directory));
        }
        else
        {
            protection.PersistKeysToDbContext<DunwellDb>();
        }

        if (settings["CertificatePath"] is { Length: > 0 } path)
        {
            protection.ProtectKeysWithCertificate(LoadCertificate(path, settings["CertificateKeyPath"], settings["CertificatePassword"]));
        }
    }

    /// <summary>A PKCS#12 file (with its password), or a PEM certificate with its key in the same file or in CertificateKeyPath.</summary>
    private static X509Certificate2 LoadCertificate(string path, string? keyPath, string? password)
    {
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"{Section}:CertificatePath: no file at '{path}'.");
        }

        var pem = keyPath is not null || Path.GetExtension(path).ToLowerInvariant() is ".pem" or ".crt";
        var certificate = pem ? X509Certificate2.CreateFromPemFile(path, keyPath) : X509CertificateLoader.LoadPkcs12FromFile(path, password);
        return certificate.HasPrivateKey
            ? certificate
            : throw new InvalidOperationException($"{Section}:CertificatePath: '{path}' has no private key, so keys encrypted with it could never be read back.");
    }

    /// <summary>
    /// Forwarded headers (X-Forwarded-For and -Proto) are believed only from loopback and the proxies and networks configured in
    /// <c>Dunwell:ForwardedHeaders:KnownProxies</c> (addresses) and <c>:KnownNetworks</c> (CIDR ranges); from anyone else they are ignored.
    /// </summary>
    public static void AddDunwellForwardedHeaders(this IServiceCollection services, IConfiguration configuration)
    {
        var settings = configuration.GetSection("Dunwell:ForwardedHeaders");
        var proxies = settings.GetSection("KnownProxies").Get<string[]>() ?? [];
        var networks = settings.GetSection("KnownNetworks").Get<string[]>() ?? [];
        services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            foreach (var proxy in proxies)
            {
                o.KnownProxies.Add(IPAddress.TryParse(proxy, out var address)
                    ? address
                    : throw new InvalidOperationException($"Dunwell:ForwardedHeaders:KnownProxies: '{proxy}' is not an IP address."));
            }

            foreach (var network in networks)
            {
                o.KnownIPNetworks.Add(System.Net.IPNetwork.TryParse(network, out var range)
                    ? range
                    : throw new InvalidOperationException($"Dunwell:ForwardedHeaders:KnownNetworks: '{network}' is not a CIDR range like 10.0.0.0/8."));
            }
        });
        services.AddHsts(o =>
        {
            o.MaxAge = TimeSpan.FromDays(365);
            o.IncludeSubDomains = settings.GetValue("HstsIncludeSubDomains", false);
        });
    }

    /// <summary>
    /// ASP.NET's own request lines ("Request starting GET /api/v1/accounts?q=Smith") carry query strings, which hold search
    /// terms, names and emails; they are held at Warning whatever the configuration says, and Dunwell logs each request's
    /// method, path and status instead. Paths hold ids, never personal data.
    /// </summary>
    public static void AddDunwellRequestLogging(this ILoggingBuilder logging) =>
        logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning)
            .AddFilter("Microsoft.AspNetCore.HttpLogging", LogLevel.Warning);

    public static void UseDunwellTransport(this WebApplication app)
    {
        app.UseForwardedHeaders();
        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts();
        }

        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Dunwell.Requests");
        app.Use(async (context, next) =>
        {
            var started = Stopwatch.GetTimestamp();
            await next(context);
            if (log.IsEnabled(LogLevel.Information))
            {
                log.LogInformation("{Method} {Path} answered {Status} in {Elapsed:0} ms", context.Request.Method, context.Request.Path.Value,
                    context.Response.StatusCode, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        });

        if (app.Environment.IsProduction() && string.IsNullOrEmpty(app.Configuration[$"{Section}:CertificatePath"]))
        {
            app.Lifetime.ApplicationStarted.Register(() => app.Logger.LogWarning(
                "Data-protection keys (which sign session cookies) are stored unencrypted; set {Setting} to protect them at rest.", $"{Section}:CertificatePath"));
        }
    }
}
