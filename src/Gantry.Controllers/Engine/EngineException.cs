namespace Gantry.Controllers.Engine;

/// <summary>The engine could not do what a controller asked; <see cref="IsTransient"/> says whether retrying may help.</summary>
public class EngineException(string message, bool isTransient, Exception? inner = null) : Exception(message, inner)
{
    public bool IsTransient { get; } = isTransient;
}

/// <summary>The object already exists (a container name taken): the controller re-observes instead of duplicating.</summary>
public sealed class EngineConflictException(string message, Exception? inner = null) : EngineException(message, false, inner);
