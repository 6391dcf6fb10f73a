namespace Dunwell.Features.Messages.Outbox;

/// <summary>
/// A seam for the crash tests only (OutboxCrashTests): with <c>DUNWELL_TEST_OUTBOX_CRASH=POINT</c> in the environment,
/// a sender that reaches POINT kills its own process at once (SIGKILL: no finally block or rollback runs). Points:
/// <see cref="Claimed"/>, <see cref="HandingOver"/> (the attempt is recorded, the channel not yet asked),
/// <see cref="HandedOver"/> (the channel accepted it, nothing recorded yet) and <see cref="Recorded"/>.
/// </summary>
internal static class OutboxCrash
{
    public const string Variable = "DUNWELL_TEST_OUTBOX_CRASH";
    public const string Claimed = "claimed";
    public const string HandingOver = "handing-over";
    public const string HandedOver = "handed-over";
    public const string Recorded = "recorded";

    private static readonly string? Configured = Environment.GetEnvironmentVariable(Variable);

    public static void At(string point)
    {
        if (Configured is not null && string.Equals(Configured, point, StringComparison.Ordinal))
        {
            System.Diagnostics.Process.GetCurrentProcess().Kill();
            Thread.Sleep(Timeout.Infinite);
        }
    }
}
