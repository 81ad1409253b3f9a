namespace Gantry.Compose;

/// <summary>How serious a compose diagnostic is: errors stop the load, warnings do not.</summary>
public enum ComposeSeverity
{
    Warning,
    Error,
}
