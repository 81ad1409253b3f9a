namespace Gantry.Server.Bundles;

/// <summary>The uploaded bundle cannot be used; the message names the entry (or the limit) and what to do.</summary>
public sealed class BundleException(BundleProblem problem, string message) : Exception(message)
{
    public BundleProblem Problem { get; } = problem;
}
