namespace Dunwell.Features.Messages.Outbox;

/// <summary>The sender (configuration section <c>Dunwell:Outbox</c>).</summary>
public sealed class OutboxOptions
{
    public const string Section = "Dunwell:Outbox";

    /// <summary>Whether <c>serve</c> runs the background sender on this node (one per node; nodes share the work safely).</summary>
    public bool SenderEnabled { get; set; }

    /// <summary>Seconds between passes of the background sender.</summary>
    public int IntervalSeconds { get; set; } = 30;

    /// <summary>Messages one pass claims at most.</summary>
    public int BatchSize { get; set; } = 100;

    /// <summary>How long a claim holds: a sender that has not finished by then is taken for dead and its messages reclaimed.</summary>
    public int LeaseSeconds { get; set; } = 300;

    /// <summary>Tries after a transient failure before the message is given up as failed.</summary>
    public int MaxAttempts { get; set; } = 8;
}
