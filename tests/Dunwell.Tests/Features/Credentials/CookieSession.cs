using System.Net;
using Dunwell.Data;
using Dunwell.Features.Admin;
using Dunwell.Features.Creditors;
using Dunwell.Tests.Features.Pages;
using Dunwell.Tests.Support;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;

namespace Dunwell.Tests.Features.Credentials;

/// <summary>
/// A browser's session whose cookies the test can read, so that it can copy them into another client, as someone who took
/// the cookie from a shared machine or a log would; and an administrator's change made through the real shared code.
/// </summary>
internal static class CookieSession
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public static async Task<(HttpClient Client, CookieContainer Jar)> SignInAsync(TestApp app, string email, string password = PageSession.Password)
    {
        var jar = new CookieContainer();
        var client = app.CreateDefaultClient(new CookieContainerHandler(jar));
        var response = await SignInResponseAsync(client, email, password);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return (client, jar);
    }

    public static Task<HttpResponseMessage> SignInResponseAsync(HttpClient client, string email, string password) =>
        PageSession.SubmitAsync(client, "/signin", "signin", new() { ["Input.Email"] = email, ["Input.Password"] = password });

    /// <summary>A fresh client that sends exactly the cookies the session held at this moment.</summary>
    public static HttpClient CopyOf(TestApp app, CookieContainer jar)
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        client.DefaultRequestHeaders.Add("Cookie", jar.GetCookieHeader(client.BaseAddress!));
        return client;
    }

    /// <summary>What a visit to <paramref name="path"/> comes to: "200", "404", "signin" (session refused) or "denied" (role refused).</summary>
    public static async Task<string> VisitAsync(HttpClient client, string path)
    {
        var response = await client.GetAsync(path, Cancel);
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            return ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var location = response.Headers.Location!.OriginalString.Replace("http://localhost", "", StringComparison.Ordinal);
        return location.StartsWith("/signin", StringComparison.Ordinal) ? "signin" : location.StartsWith("/denied", StringComparison.Ordinal) ? "denied" : location;
    }

    public static async Task<CredentialOutcome> AsAdminAsync(TestApp app, Func<IServiceProvider, Task<CredentialOutcome>> change)
    {
        await using var scope = app.Services.CreateSystemScope();
        var outcome = await change(scope.ServiceProvider);
        Assert.IsType<CredentialOutcome.Done>(outcome);
        return outcome;
    }

    public static async Task<CreditorGrant> GrantAsync(TestApp app, string text) =>
        await app.WithDbAsync(async db => (await CreditorGrant.ParseAsync(db, text, Cancel)).Grant!);
}
