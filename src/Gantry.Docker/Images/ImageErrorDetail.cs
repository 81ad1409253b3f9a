namespace Gantry.Docker.Images;

/// <summary>A structured error in a progress stream.</summary>
public sealed record ImageErrorDetail
{
    /// <summary>Code (often absent, or a process exit code for failing RUN steps).</summary>
    public int? Code { get; init; }

    /// <summary>Message.</summary>
    public string? Message { get; init; }
}
