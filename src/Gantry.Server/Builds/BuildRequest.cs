using Gantry.Model.Releases;

namespace Gantry.Server.Builds;

/// <summary>What a push asks to build: the repository's app, the instance it deploys to, the commit and who pushed it.</summary>
public sealed record BuildRequest(string App, string Deploys, ReleaseSource Source, string PushedBy);

/// <summary>How a build ended: <see cref="Model.Api.BuildStates"/>, the image id of each built service when it succeeded, else why not.</summary>
public sealed record BuildResult(long Number, string State, IReadOnlyDictionary<string, string> Images, string? Message)
{
    public bool Succeeded => State == Model.Api.BuildStates.Succeeded;
}
