namespace Gantry.Docker.Containers;

/// <summary>One row of <c>GET /containers/json</c>.</summary>
public sealed record ContainerSummary
{
    /// <summary>Full id.</summary>
    public string Id { get; init; } = "";

    /// <summary>Names, each with a leading slash.</summary>
    public IReadOnlyList<string> Names { get; init; } = [];

    /// <summary>Image reference as given at create time.</summary>
    public string Image { get; init; } = "";

    /// <summary>Image id.</summary>
    public string? ImageId { get; init; }

    /// <summary>Creation time in Unix seconds.</summary>
    public long Created { get; init; }

    /// <summary><c>created</c>, <c>running</c>, <c>exited</c>, ...</summary>
    public string State { get; init; } = "";

    /// <summary>Human text such as "Up 3 minutes (healthy)".</summary>
    public string Status { get; init; } = "";

    /// <summary>Labels.</summary>
    public IReadOnlyDictionary<string, string>? Labels { get; init; }
}
