namespace Gantry.Controllers.Engine;

/// <summary>One log line of a container; <paramref name="Stream"/> is stdout or stderr.</summary>
public sealed record EngineLogLine(DateTimeOffset Time, string Stream, string Text);
