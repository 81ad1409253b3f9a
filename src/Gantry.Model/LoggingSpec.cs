namespace Gantry.Model;

/// <summary>A service's log driver (compose `logging`); a null driver keeps the engine's default driver with these options.</summary>
public sealed record LoggingSpec
{
    public string? Driver { get; init; }

    public IReadOnlyDictionary<string, string> Options { get; init; } = new SortedDictionary<string, string>(StringComparer.Ordinal);
}
