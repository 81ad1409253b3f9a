namespace Gantry.Server.Bundles;

/// <summary>Where a bundle path really leads: a real path inside the bundle, or why it does not stay there.</summary>
/// <param name="RealPath">The link-free path under the bundle root; null when refused.</param>
/// <param name="Problem">Why the path was refused, in words for an error message; null when inside.</param>
public sealed record BundlePathResolution(string? RealPath, string? Problem)
{
    public bool IsInside => RealPath is not null;

    public static BundlePathResolution Inside(string realPath) => new(realPath, null);

    public static BundlePathResolution Outside(string path, string step) =>
        new(null, step == path ? $"'{path}' is outside the project directory" : $"'{path}' leads outside the project directory (through '{step}')");

    public static BundlePathResolution Loop(string path) =>
        new(null, $"'{path}' follows more than {BundlePath.MaxLinkHops} symbolic links (a link loop)");
}
