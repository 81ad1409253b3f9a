using Gantry.Model.Environments;

namespace Gantry.Model.Api;

/// <summary>
/// `GET /api/v1/apps/{app}/pipelines`: one commit and how far it went (docs/decisions/0032): its build (with the test stage),
/// the release it made in each environment, and the environment waiting for an approval to take it, if one is.
/// </summary>
public sealed record PipelineRun(string Commit)
{
    public string? Branch { get; init; }

    public string? Author { get; init; }

    /// <summary>When the commit first reached the server (its first build or release).</summary>
    public DateTimeOffset At { get; init; }

    public long? Build { get; init; }

    /// <summary>The build's state (<see cref="BuildStates"/>), null when nothing was built for it (images only).</summary>
    public string? BuildState { get; init; }

    /// <summary>Why the build or its test stage failed, when it did.</summary>
    public string? Message { get; init; }

    /// <summary>Its release in each environment it reached, in pipeline order.</summary>
    public IReadOnlyList<PipelineStage> Stages { get; init; } = [];

    /// <summary>The environment whose gate holds this commit for an approval (`gantry promote`), or that promotes it now.</summary>
    public string? Next { get; init; }

    /// <summary><see cref="PromotionGate.Approval"/> (waiting for `gantry promote`) or <see cref="PromotionGate.Auto"/> (being promoted); null with no <see cref="Next"/>.</summary>
    public string? NextMode { get; init; }
}

/// <param name="Phase">The release's phase (<see cref="Releases.ReleasePhases"/>).</param>
public sealed record PipelineStage(string Environment, string Instance, long Release, string Phase, DateTimeOffset At, string By);

/// <summary>`PUT /api/v1/apps/{app}/environments/{env}/gate`: promote its live releases to <see cref="To"/>, automatically or on approval.</summary>
public sealed record GateRequest
{
    public string To { get; init; } = EnvironmentNames.Production;

    public string Mode { get; init; } = PromotionGate.Approval;
}
