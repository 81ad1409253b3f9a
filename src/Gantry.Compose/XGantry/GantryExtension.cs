using System.Text.Json;
using Gantry.Model;

namespace Gantry.Compose.XGantry;

/// <summary>
/// A service's `x-gantry` read once, when the compose files are loaded, into the typed fields everything else uses:
/// <see cref="ServiceSpec.Routing"/> (routes, the router's health check, load balancing), <see cref="ServiceSpec.Release"/>,
/// <see cref="ServiceSpec.Autoscale"/>, <see cref="ServiceSpec.Alerts"/>, <see cref="ServiceSpec.RedeployOnPush"/> and <see cref="ServiceSpec.Test"/>. The route table, route ownership, the
/// deploy check, the autoscaler and the registry's redeploy read those fields; nothing parses the extension's JSON again.
/// </summary>
public static class GantryExtension
{
    public const string Key = "x-gantry";

    /// <summary>The service with its x-gantry resolved; each problem is added to <paramref name="errors"/> as "path: what to write".</summary>
    public static ServiceSpec Resolve(ServiceSpec service, List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(service);
        var routing = GantryExtensionParser.Parse(service, errors);
        if (routing is { Routes.Count: > 0 } && service.NetworkMode is { } mode && mode != "bridge")
        {
            // The router reaches a replica at its address on the app's networks; a container in another network stack has none.
            errors.Add($"services.{service.Name}.{Key}: a routed service must be on the app's networks, and network_mode '{mode}' takes it off them " +
                "(the router reaches each replica at its address there); remove network_mode, or route to the service whose network it uses");
        }
        var routed = routing is { Routes.Count: > 0 };
        return service with
        {
            Routing = routing,
            Release = ReleasePolicyParser.Parse(service, routed, errors),
            Autoscale = AutoscaleParser.Parse(service, routed, errors),
            Alerts = AlertRulesParser.Parse(service, routed, errors),
            RedeployOnPush = RedeployOnPush(service),
            Test = TestStageParser.Parse(service, errors),
        };
    }

    /// <summary>
    /// One key of the service's x-gantry mapping (a copy that outlives the parsed document), or null when the service has
    /// no x-gantry, no such key, or an x-gantry that is not JSON (the routing parser reports that one, once).
    /// </summary>
    public static JsonElement? Section(ServiceSpec service, string key)
    {
        ArgumentNullException.ThrowIfNull(service);
        if (!service.Extensions.TryGetValue(Key, out var json))
        {
            return null;
        }
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty(key, out var found) ? found.Clone() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// A service stored by a Gantry from before x-gantry was resolved at load time: it has the extension but not its typed
    /// fields. The server resolves such stored specs once, when it starts.
    /// </summary>
    public static bool NeedsResolving(ServiceSpec service) =>
        service.Release is null || (service.Routing is null && service.Extensions.ContainsKey(Key));

    private static bool RedeployOnPush(ServiceSpec service)
    {
        if (!service.Extensions.TryGetValue(Key, out var json))
        {
            return false;
        }
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement is { ValueKind: JsonValueKind.Object } root
                && root.TryGetProperty("redeploy-on-push", out var flag) && flag.ValueKind == JsonValueKind.True;
        }
        catch (JsonException)
        {
            return false; // reported by the routing parser
        }
    }
}
