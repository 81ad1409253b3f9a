namespace Gantry.Server.Routing;

/// <summary>One host and path prefix on an entrypoint that a service of an app routes; the unit of route ownership.</summary>
/// <param name="Host">Normalised (lower case, no trailing dot).</param>
/// <param name="Path">The path prefix as declared, or null for every path.</param>
public sealed record RouteClaim(string App, string Service, string Entrypoint, string Host, string? Path)
{
    /// <summary>Equal for two claims the router could not tell apart: the same entrypoint, host and prefix (paths are matched
    /// case-insensitively and "/api/" is "/api").</summary>
    public string Key => $"{Entrypoint} {Host} {(Path ?? "").TrimEnd('/').ToLowerInvariant()}";

    /// <summary>"host x.example.com" or "host x.example.com, path /api", plus the entrypoint when it is the internal one.</summary>
    public string Describe() =>
        $"host '{Host}'{(string.IsNullOrEmpty(Path) || Path == "/" ? "" : $", path '{Path}'")}{(Entrypoint == "external" ? "" : $" on the {Entrypoint} entrypoint")}";
}
