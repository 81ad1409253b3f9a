using Gantry.Compose.Validation;
using Gantry.Compose.Yaml;
using Gantry.Model;

namespace Gantry.Compose.Mapping;

// How replicas run: healthcheck, deploy (replicas, resources, restart_policy, update_config), restart and the service-level limits.
internal sealed partial class ServiceMapper
{
    private HealthCheckSpec? MapHealthCheck(ComposeNode? node, string path)
    {
        var map = reader.Map(node, path);
        if (map is null)
        {
            return null;
        }
        SchemaKeys.HealthCheck.Check(map, path, Diagnostics);
        string P(string key) => NodeReader.Join(path, key);
        var disable = reader.Bool(map.Get("disable"), P("disable")) ?? false;
        IReadOnlyList<string> test = [];
        var testNode = map.Get("test");
        if (testNode is ScalarNode { IsNull: false } s)
        {
            test = ["CMD-SHELL", s.Value];
        }
        else if (!NodeReader.IsAbsent(testNode))
        {
            var items = reader.Strings(testNode, P("test"))?.Select(x => x.Value).ToList() ?? [];
            if (items.Count > 0 && items[0] is not ("CMD" or "CMD-SHELL" or "NONE"))
            {
                Diagnostics.Error(testNode!, P("test"), $"a healthcheck test list must start with CMD, CMD-SHELL or NONE, not '{items[0]}': e.g. [\"CMD\", \"curl\", \"-f\", \"http://localhost\"]");
            }
            test = items;
        }
        if (test.Count > 0 && test[0] == "NONE")
        {
            disable = true;
        }
        if (disable)
        {
            return new HealthCheckSpec(["NONE"]) { Disable = true };
        }
        return new HealthCheckSpec(test)
        {
            Interval = reader.Duration(map.Get("interval"), P("interval")),
            Timeout = reader.Duration(map.Get("timeout"), P("timeout")),
            Retries = (int?)reader.Integer(map.Get("retries"), P("retries"), 0, int.MaxValue),
            StartPeriod = reader.Duration(map.Get("start_period"), P("start_period")),
            StartInterval = reader.Duration(map.Get("start_interval"), P("start_interval")),
        };
    }

    private ServiceSpec ApplyRuntimePolicy(ServiceSpec spec, MappingNode svc, string path)
    {
        string P(string key) => NodeReader.Join(path, key);
        var resources = new ResourcesSpec
        {
            MemoryLimitBytes = reader.Bytes(svc.Get("mem_limit"), P("mem_limit")),
            NanoCpus = reader.NanoCpus(svc.Get("cpus"), P("cpus")),
            PidsLimit = reader.Integer(svc.Get("pids_limit"), P("pids_limit"), -1),
            MemoryReservationBytes = reader.Bytes(svc.Get("mem_reservation"), P("mem_reservation")),
            MemorySwapBytes = MapMemorySwap(svc.Get("memswap_limit"), P("memswap_limit")),
        };
        PlacementSpec? placement = null;
        var restart = MapRestart(svc.Get("restart"), P("restart"));
        var scale = reader.Integer(svc.Get("scale"), P("scale"), 0, int.MaxValue);
        int? replicas = scale is null ? null : (int)scale.Value;
        UpdateConfigSpec? update = null;

        var deploy = reader.Map(svc.Get("deploy"), P("deploy"));
        if (deploy is not null)
        {
            var deployPath = P("deploy");
            string D(string key) => NodeReader.Join(deployPath, key);
            SchemaKeys.Deploy.Check(deploy, deployPath, Diagnostics);
            var mode = reader.String(deploy.Get("mode"), D("mode"));
            if (mode is not null and not "replicated")
            {
                Diagnostics.Error(deploy.Get("mode")!, D("mode"), mode == "global"
                    ? "deploy mode 'global' is not supported by Gantry: use 'replicated' with a replica count"
                    : $"'{mode}' is not a valid deploy mode: use 'replicated'");
            }
            var deployReplicas = reader.Integer(deploy.Get("replicas"), D("replicas"), 0, int.MaxValue);
            if (deployReplicas is not null)
            {
                if (replicas is not null && replicas != deployReplicas)
                {
                    Diagnostics.Error(deploy.Get("replicas")!, D("replicas"), $"deploy.replicas ({deployReplicas}) and scale ({replicas}) disagree: keep one of them");
                }
                replicas = (int)deployReplicas.Value;
            }
            resources = MapResources(deploy.Get("resources"), D("resources"), resources);
            restart = MapRestartPolicy(deploy.Get("restart_policy"), D("restart_policy")) ?? restart;
            update = MapUpdateConfig(deploy.Get("update_config"), D("update_config"));
            placement = MapPlacement(deploy.Get("placement"), D("placement"));
        }
        if (resources.MemorySwapBytes is { } swap and not -1 && resources.MemoryLimitBytes is { } memory && swap < memory)
        {
            Diagnostics.Error(svc.Get("memswap_limit")!, P("memswap_limit"), $"memswap_limit ({swap} bytes) is below the memory limit ({memory} bytes): it counts memory plus swap, so set it to at least the memory limit (equal means no swap, -1 unlimited swap)");
        }
        return spec with
        {
            Replicas = replicas ?? 1,
            Resources = resources,
            Restart = restart ?? new RestartPolicySpec(),
            Update = update,
            Placement = placement,
        };
    }

    private long? MapMemorySwap(ComposeNode? node, string path) =>
        node is ScalarNode { Value: "-1" } ? -1 : reader.Bytes(node, path);

    // Recorded for the Swarm driver; one engine runs every replica on itself, so nothing here changes a container.
    private PlacementSpec? MapPlacement(ComposeNode? node, string path)
    {
        var map = reader.Map(node, path);
        if (map is null)
        {
            return null;
        }
        SchemaKeys.Placement.Check(map, path, Diagnostics);
        string P(string key) => NodeReader.Join(path, key);
        var spread = new List<string>();
        if (map.Get("preferences") is SequenceNode preferences)
        {
            for (var i = 0; i < preferences.Items.Count; i++)
            {
                var itemPath = NodeReader.Index(P("preferences"), i);
                if (reader.Map(preferences.Items[i], itemPath) is { } preference)
                {
                    SchemaKeys.PlacementPreference.Check(preference, itemPath, Diagnostics);
                    if (reader.String(preference.Get("spread"), NodeReader.Join(itemPath, "spread")) is { } attribute)
                    {
                        spread.Add(attribute);
                    }
                }
            }
        }
        else if (!NodeReader.IsAbsent(map.Get("preferences")))
        {
            reader.Expected(map.Get("preferences")!, P("preferences"), "a list of {spread: node.labels.NAME}");
        }
        Diagnostics.Warning(map, path, "deploy.placement is recorded for a Swarm driver; on a single Docker engine every replica runs on this node");
        return new PlacementSpec
        {
            Constraints = reader.Strings(map.Get("constraints"), P("constraints"))?.Select(c => c.Value).ToList() ?? [],
            Spread = spread,
            MaxReplicasPerNode = (int?)reader.Integer(map.Get("max_replicas_per_node"), P("max_replicas_per_node"), 0, int.MaxValue),
        };
    }

    // deploy.resources wins over the service-level mem_limit/cpus/pids_limit/mem_reservation, as in compose.
    private ResourcesSpec MapResources(ComposeNode? node, string path, ResourcesSpec serviceLevel)
    {
        var map = reader.Map(node, path);
        if (map is null)
        {
            return serviceLevel;
        }
        SchemaKeys.Resources.Check(map, path, Diagnostics);
        var result = serviceLevel;
        if (reader.Map(map.Get("limits"), NodeReader.Join(path, "limits")) is { } limits)
        {
            var p = NodeReader.Join(path, "limits");
            SchemaKeys.Limits.Check(limits, p, Diagnostics);
            result = result with
            {
                NanoCpus = reader.NanoCpus(limits.Get("cpus"), NodeReader.Join(p, "cpus")) ?? result.NanoCpus,
                MemoryLimitBytes = reader.Bytes(limits.Get("memory"), NodeReader.Join(p, "memory")) ?? result.MemoryLimitBytes,
                PidsLimit = reader.Integer(limits.Get("pids"), NodeReader.Join(p, "pids"), -1) ?? result.PidsLimit,
            };
        }
        if (reader.Map(map.Get("reservations"), NodeReader.Join(path, "reservations")) is { } reservations)
        {
            var p = NodeReader.Join(path, "reservations");
            SchemaKeys.Reservations.Check(reservations, p, Diagnostics);
            result = result with
            {
                NanoCpusReservation = reader.NanoCpus(reservations.Get("cpus"), NodeReader.Join(p, "cpus")) ?? result.NanoCpusReservation,
                MemoryReservationBytes = reader.Bytes(reservations.Get("memory"), NodeReader.Join(p, "memory")) ?? result.MemoryReservationBytes,
            };
        }
        return result;
    }

    private RestartPolicySpec? MapRestart(ComposeNode? node, string path)
    {
        var text = reader.String(node, path);
        if (text is null)
        {
            return null;
        }
        switch (text)
        {
            case "no" or "false":
                return new RestartPolicySpec { Condition = RestartCondition.None };
            case "always" or "unless-stopped":
                return new RestartPolicySpec { Condition = RestartCondition.Any };
            case "on-failure":
                return new RestartPolicySpec { Condition = RestartCondition.OnFailure };
        }
        if (text.StartsWith("on-failure:", StringComparison.Ordinal)
            && int.TryParse(text["on-failure:".Length..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var attempts))
        {
            return new RestartPolicySpec { Condition = RestartCondition.OnFailure, MaxAttempts = attempts };
        }
        Diagnostics.Error(node!, path, $"'{text}' is not a valid restart policy: use no, always, on-failure, on-failure:N or unless-stopped");
        return null;
    }

    private RestartPolicySpec? MapRestartPolicy(ComposeNode? node, string path)
    {
        var map = reader.Map(node, path);
        if (map is null)
        {
            return null;
        }
        SchemaKeys.RestartPolicy.Check(map, path, Diagnostics);
        string P(string key) => NodeReader.Join(path, key);
        var conditionText = reader.String(map.Get("condition"), P("condition")) ?? "any";
        RestartCondition? condition = conditionText switch
        {
            "none" => RestartCondition.None,
            "on-failure" => RestartCondition.OnFailure,
            "any" => RestartCondition.Any,
            _ => null,
        };
        if (condition is null)
        {
            Diagnostics.Error(map.Get("condition")!, P("condition"), $"'{conditionText}' is not a valid restart condition: use none, on-failure or any");
        }
        return new RestartPolicySpec
        {
            Condition = condition ?? RestartCondition.Any,
            Delay = reader.Duration(map.Get("delay"), P("delay")),
            MaxAttempts = (int?)reader.Integer(map.Get("max_attempts"), P("max_attempts"), 0, int.MaxValue),
            Window = reader.Duration(map.Get("window"), P("window")),
        };
    }

    private UpdateConfigSpec? MapUpdateConfig(ComposeNode? node, string path)
    {
        var map = reader.Map(node, path);
        if (map is null)
        {
            return null;
        }
        SchemaKeys.UpdateConfig.Check(map, path, Diagnostics);
        string P(string key) => NodeReader.Join(path, key);
        var failureAction = reader.String(map.Get("failure_action"), P("failure_action")) ?? "pause";
        if (failureAction is not ("continue" or "rollback" or "pause"))
        {
            Diagnostics.Error(map.Get("failure_action")!, P("failure_action"), $"'{failureAction}' is not a valid failure_action: use continue, rollback or pause");
        }
        var order = reader.String(map.Get("order"), P("order")) ?? "stop-first";
        if (order is not ("stop-first" or "start-first"))
        {
            Diagnostics.Error(map.Get("order")!, P("order"), $"'{order}' is not a valid order: use stop-first or start-first");
        }
        return new UpdateConfigSpec
        {
            Parallelism = (int?)reader.Integer(map.Get("parallelism"), P("parallelism"), 0, int.MaxValue) ?? 1,
            Delay = reader.Duration(map.Get("delay"), P("delay")),
            FailureAction = failureAction,
            Monitor = reader.Duration(map.Get("monitor"), P("monitor")),
            MaxFailureRatio = reader.Number(map.Get("max_failure_ratio"), P("max_failure_ratio")),
            Order = order,
        };
    }
}
