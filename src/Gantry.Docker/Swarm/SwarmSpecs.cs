using System.Text.Json.Nodes;

namespace Gantry.Docker.Swarm;

/// <summary>Edits of a cluster spec kept as JSON (so the fields this client does not model survive an update).</summary>
public static class SwarmSpecs
{
    /// <summary>A copy of spec whose dispatcher heartbeat is period: how often workers report, and so how soon a dead one is noticed.</summary>
    public static JsonObject WithDispatcherHeartbeat(JsonObject spec, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var copy = (JsonObject)spec.DeepClone();
        if (copy["Dispatcher"] is not JsonObject dispatcher)
        {
            dispatcher = [];
            copy["Dispatcher"] = dispatcher;
        }
        dispatcher["HeartbeatPeriod"] = period.Ticks * 100;
        return copy;
    }
}
