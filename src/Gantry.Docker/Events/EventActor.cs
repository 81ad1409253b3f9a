namespace Gantry.Docker.Events;

/// <summary>The object an event is about.</summary>
public sealed record EventActor
{
    /// <summary>Object id.</summary>
    public string Id { get; init; } = "";

    /// <summary>Attributes: labels of the object plus name, image, exitCode, signal, ...</summary>
    public IReadOnlyDictionary<string, string> Attributes { get; init; } = new Dictionary<string, string>();
}
