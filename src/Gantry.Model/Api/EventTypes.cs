namespace Gantry.Model.Api;

/// <summary>The two kinds of event, as Kubernetes names them: routine progress, or something a person should look at.</summary>
public static class EventTypes
{
    public const string Normal = "Normal";
    public const string Warning = "Warning";
}
