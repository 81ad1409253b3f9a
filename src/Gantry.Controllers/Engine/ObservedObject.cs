namespace Gantry.Controllers.Engine;

/// <summary>A network or volume Gantry created, with its labels.</summary>
public sealed record ObservedObject(string Name, IReadOnlyDictionary<string, string> Labels);
