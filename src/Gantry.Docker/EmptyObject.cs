namespace Gantry.Docker;

/// <summary>The Engine API's <c>{}</c> placeholder, used as the value in sets such as <c>ExposedPorts</c> and <c>Volumes</c>.</summary>
public sealed record EmptyObject
{
    /// <summary>The shared instance.</summary>
    public static readonly EmptyObject Instance = new();
}
