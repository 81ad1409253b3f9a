using Gantry.Model;
using Gantry.Model.Releases;

namespace Gantry.Server.Git;

/// <summary>
/// A pushed commit's built images are named `APP/SERVICE:COMMIT12`, so `docker images` says which commit each is. A
/// service whose compose file names its image keeps that name; the loader's default for an unnamed one
/// (`APP-SERVICE:latest`) is replaced. The name is outside the spec hash (the built image's id is in it), so a build
/// that makes the same image replaces no replica.
/// </summary>
public static class CommitImageTags
{
    public static AppSpec Apply(AppSpec spec, ReleaseSource source) => spec with
    {
        Services = spec.Services.Select(s => s.Build is not null && (s.Image is null || s.Image == DefaultTag(spec.Name, s.Name))
            ? s with { Image = $"{spec.Name}/{s.Name.ToLowerInvariant()}:{source.ShortCommit}" }
            : s).ToList(),
    };

    /// <summary>What the compose loader names a built image the file leaves unnamed.</summary>
    private static string DefaultTag(string app, string service) => $"{app}-{service.ToLowerInvariant()}:latest";
}
