namespace Gantry.Registry;

/// <summary>One webhook receiver: events are POSTed as JSON and signed with HMAC-SHA256 of the body using the secret.</summary>
public sealed record WebhookOptions
{
    public required Uri Url { get; init; }

    /// <summary>Shared secret for the X-Gantry-Signature header ("sha256=" + hex HMAC of the body).</summary>
    public required string Secret { get; init; }

    /// <summary>Delivery attempts before the event is given up (logged).</summary>
    public int MaxAttempts { get; init; } = 6;

    /// <summary>First retry delay; each next one doubles.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromSeconds(1);
}
