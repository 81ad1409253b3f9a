namespace Gantry.Router.Config;

/// <summary>One route: requests on an entrypoint whose host (and optional path prefix) match are sent to a cluster.</summary>
public sealed record RouteSpec
{
    public string Id { get; init; } = "";

    /// <summary>"external" (public :80/:443) or "internal" (service-to-service); a route answers only on its own entrypoint.</summary>
    public string Entrypoint { get; init; } = Entrypoints.External;

    /// <summary>Exact host names ("app.example.com"), wildcards ("*.example.com": any deeper subdomain) or "*" (any host).</summary>
    public IReadOnlyList<string> Hosts { get; init; } = [];

    /// <summary>Optional path prefix matched on segment boundaries ("/api" matches "/api" and "/api/x", not "/apix").</summary>
    public string? PathPrefix { get; init; }

    public string ClusterId { get; init; } = "";

    /// <summary>When true, plain-HTTP requests on the external entrypoint are answered 308 to https (needs an HTTPS endpoint).</summary>
    public bool RedirectToHttps { get; init; }
}
