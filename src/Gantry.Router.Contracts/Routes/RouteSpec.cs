namespace Gantry.Router.Contracts.Routes;

/// <summary>One route: requests on an entrypoint whose host (and optional path prefix) match are sent to a cluster.</summary>
/// <remarks>Positional with defaults on purpose: System.Text.Json's source generator sets omitted init-only properties to
/// default(T), but honours constructor parameter defaults, so a producer may omit any field and get the documented default.</remarks>
public sealed record RouteSpec(string Id = "", string Entrypoint = Entrypoints.External, IReadOnlyList<string> Hosts = null!,
    string? PathPrefix = null, string ClusterId = "", bool RedirectToHttps = false)
{
    public string Id { get; init; } = Id ?? "";

    /// <summary>"external" (public :80/:443) or "internal" (service-to-service); a route answers only on its own entrypoint.</summary>
    public string Entrypoint { get; init; } = Entrypoint ?? Entrypoints.External;

    /// <summary>Exact host names ("app.example.com"), wildcards ("*.example.com": any deeper subdomain) or "*" (any host).</summary>
    public IReadOnlyList<string> Hosts { get; init; } = Hosts ?? [];

    /// <summary>Optional path prefix matched on segment boundaries ("/api" matches "/api" and "/api/x", not "/apix").</summary>
    public string? PathPrefix { get; init; } = PathPrefix;

    public string ClusterId { get; init; } = ClusterId ?? "";

    /// <summary>When true, plain-HTTP requests on the external entrypoint are answered 308 to https (needs an HTTPS endpoint).</summary>
    public bool RedirectToHttps { get; init; } = RedirectToHttps;
}
