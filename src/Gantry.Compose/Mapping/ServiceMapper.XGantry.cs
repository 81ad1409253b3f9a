using System.Text.RegularExpressions;
using Gantry.Compose.XGantry;
using Gantry.Compose.Yaml;
using Gantry.Model;

namespace Gantry.Compose.Mapping;

internal sealed partial class ServiceMapper
{
    /// <summary>Resolves x-gantry into the service's typed fields (<see cref="GantryExtension"/>), each problem located at the key it is about.</summary>
    private ServiceSpec ResolveGantryExtension(ServiceSpec spec, MappingNode svc)
    {
        var errors = new List<string>();
        var resolved = GantryExtension.Resolve(spec, errors);
        var extension = svc.Get(GantryExtension.Key);
        var prefix = $"services.{spec.Name}.{GantryExtension.Key}";
        foreach (var error in errors)
        {
            var split = error.IndexOf(": ", StringComparison.Ordinal);
            var at = split < 0 ? prefix : error[..split];
            var message = split < 0 ? error : error[(split + 2)..];
            var node = extension is null ? svc : Deepest(extension, at.StartsWith(prefix, StringComparison.Ordinal) ? at[prefix.Length..] : "");
            Diagnostics.Error(node, at, message);
        }
        WarnOnFixedReplicas(resolved, svc);
        return resolved;
    }

    /// <summary>
    /// A replica count written next to an autoscale policy only sets where the service starts: the autoscaler owns the
    /// count from then on. A count outside [min, max] is surely a leftover, so it is pointed out where it was written.
    /// </summary>
    private void WarnOnFixedReplicas(ServiceSpec spec, MappingNode svc)
    {
        if (spec.Autoscale is not { } autoscale || spec.Replicas >= autoscale.Min && spec.Replicas <= autoscale.Max)
        {
            return;
        }
        var (node, at) = svc.Get("deploy") is MappingNode deploy && deploy.Get("replicas") is { } replicas
            ? (replicas, $"services.{spec.Name}.deploy.replicas")
            : (svc.Get("scale"), $"services.{spec.Name}.scale");
        if (node is not null)
        {
            Diagnostics.Warning(node, at, $"{spec.Replicas} is outside autoscale's {autoscale.Min}-{autoscale.Max}; the autoscaler owns the count " +
                $"and will move it into that range, so drop the replica count or bring it within min and max");
        }
    }

    /// <summary>The node a path below x-gantry (".routes[0].port") names, or the deepest one of it that exists.</summary>
    private static ComposeNode Deepest(ComposeNode extension, string below)
    {
        var node = extension;
        foreach (Match step in PathStep().Matches(below))
        {
            ComposeNode? next = node switch
            {
                MappingNode map when step.Groups["key"].Success => map.Get(step.Groups["key"].Value),
                SequenceNode list when step.Groups["index"].Success && int.Parse(step.Groups["index"].Value, System.Globalization.CultureInfo.InvariantCulture) is var i && i < list.Items.Count => list.Items[i],
                _ => null,
            };
            if (next is null)
            {
                break;
            }
            node = next;
        }
        return node;
    }

    [GeneratedRegex(@"\.(?<key>[^.\[]+)|\[(?<index>\d+)\]")]
    private static partial Regex PathStep();
}
