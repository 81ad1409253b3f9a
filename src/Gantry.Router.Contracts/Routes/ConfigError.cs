namespace Gantry.Router.Contracts.Routes;

/// <summary>One problem found in a route table: where (a JSON path such as "routes[2].hosts[0]") and what to do about it.</summary>
public sealed record ConfigError(string Path, string Message)
{
    public override string ToString() => $"{Path}: {Message}";
}
