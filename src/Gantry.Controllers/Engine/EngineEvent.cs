namespace Gantry.Controllers.Engine;

/// <summary>A container event from the engine: enough to know which app to reconcile now.</summary>
public sealed record EngineEvent(string Action, string ContainerId, string? App, string? Service, DateTimeOffset Time);
