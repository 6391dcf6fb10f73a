using System.Net;
using Dunwell.Domain.Accounts;
using Dunwell.Tests.Support;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Dunwell.Tests.Features;

public sealed class ApiKeyTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task The_api_refuses_a_missing_or_unknown_key_and_stores_only_hashes(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Instant.FromUtc(2026, 3, 2, 9, 0));
        var known = await app.ClientAsAsync(Roles.Auditor);

        var anonymous = await app.CreateClient().GetAsync("/api/v1/accounts", Cancel);
        var forged = app.CreateClient();
        forged.DefaultRequestHeaders.Authorization = new("Bearer", "dwk_0000000000000000.notarealsecret");
        var withForged = await forged.GetAsync("/api/v1/accounts", Cancel);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, withForged.StatusCode);
        var presented = known.DefaultRequestHeaders.Authorization!.Parameter!;
        var stored = await app.WithDbAsync(db => db.ApiKeys.Select(k => k.SecretHash).SingleAsync(Cancel));
        Assert.DoesNotContain(presented, stored, StringComparison.Ordinal);
        Assert.Equal(64, stored.Length);
    }
}
