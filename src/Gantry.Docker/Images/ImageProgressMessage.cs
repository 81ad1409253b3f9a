namespace Gantry.Docker.Images;

/// <summary>One JSON line of build, pull or push progress: stream text, a status with layer id and progress, an error, or aux data.</summary>
public sealed record ImageProgressMessage
{
    /// <summary>Build output text (ends with a newline).</summary>
    public string? Stream { get; init; }

    /// <summary>Pull/push status such as "Downloading" or "Pushed".</summary>
    public string? Status { get; init; }

    /// <summary>Layer id the status refers to.</summary>
    public string? Id { get; init; }

    /// <summary>Human progress bar text.</summary>
    public string? Progress { get; init; }

    /// <summary>Bytes done and total for the layer.</summary>
    public ImageProgressDetail? ProgressDetail { get; init; }

    /// <summary>Error text; the client raises it as <see cref="DockerApiException"/>.</summary>
    public string? Error { get; init; }

    /// <summary>Structured error.</summary>
    public ImageErrorDetail? ErrorDetail { get; init; }

    /// <summary>Aux data: the built image id, or the pushed tag and digest.</summary>
    public ImageProgressAux? Aux { get; init; }
}
