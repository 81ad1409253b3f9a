namespace Gantry.Model.Routing;

/// <summary>A service's routing as declared in its `x-gantry` extension.</summary>
public sealed record GantryRouting(IReadOnlyList<GantryRoute> Routes, GantryHealth? Health, string LoadBalancing);

/// <summary>One host name (or several) and optional path prefix on an entrypoint, to a container port.</summary>
public sealed record GantryRoute(IReadOnlyList<string> Hosts, string? Path, int Port, string Entrypoint, bool RedirectToHttps);

/// <summary>The router's active health check of the service's replicas.</summary>
public sealed record GantryHealth(string Path, TimeSpan Interval, TimeSpan Timeout);
