using Dunwell.Tests.Support;
using Microsoft.Playwright;

namespace Dunwell.Tests.Browser;

/// <summary>The distribution's Chromium; Playwright's own browser download is never used.</summary>
internal static class SystemChromium
{
    public const string Variable = "DUNWELL_CHROMIUM";

    public static BrowserTypeLaunchOptions LaunchOptions()
    {
        var path = Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } given ? given : "/usr/bin/chromium";
        if (!File.Exists(path))
        {
            Assert.False(TestDatabase.IsCi, $"CI=true but there is no Chromium at {path}: browser tests must run in CI.");
            Assert.Skip($"No Chromium at {path}; install the distribution's chromium package or set {Variable}.");
        }

        return new BrowserTypeLaunchOptions
        {
            ExecutablePath = path,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-quic", "--no-first-run",
            ],
        };
    }

    /// <summary>Saves a full-page screenshot when DUNWELL_SCREENSHOTS names a folder (for looking at the design; never asserted on).</summary>
    public static async Task SnapAsync(IPage page, string name)
    {
        if (Environment.GetEnvironmentVariable("DUNWELL_SCREENSHOTS") is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, $"{name}.png"), FullPage = true });
        }
    }
}
