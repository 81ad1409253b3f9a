namespace Gantry.Router.Contracts.Routes;

/// <summary>
/// Set on the cluster of a service that scales to zero: a request that finds no destination is held (up to
/// <see cref="Timeout"/>) while the router asks the server to start the service (`POST /api/v1/router/wake`), and is
/// forwarded as soon as a replica is in the table and healthy. Without it such a request is answered 503 at once.
/// </summary>
/// <remarks>Positional with defaults, like <see cref="HealthCheckSpec"/>: a zero TimeSpan means the default.</remarks>
public sealed record WakeSpec(string App = "", string Service = "", TimeSpan Timeout = default)
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    public string App { get; init; } = App ?? "";

    public string Service { get; init; } = Service ?? "";

    /// <summary>The longest a request is held waiting for the first replica; then it gets 503 with Retry-After.</summary>
    public TimeSpan Timeout { get; init; } = Timeout == default ? DefaultTimeout : Timeout;
}
