namespace Gantry.Router.Contracts.Routes;

/// <summary>The entrypoint names a route may use.</summary>
public static class Entrypoints
{
    public const string External = "external";
    public const string Internal = "internal";
}
