using System.Globalization;
using Gantry.Controllers.Engine;
using Gantry.Docker;
using Gantry.Docker.Containers;
using Gantry.Model;

namespace Gantry.Controllers.Docker;

/// <summary>Maps a <see cref="ContainerPlan"/> onto the Engine API's create body, and an inspection back to an <see cref="ObservedContainer"/>. Pure, so it is unit-tested without an engine.</summary>
public static class DockerContainerMapping
{
    public static ContainerCreateParameters ToCreateParameters(ContainerPlan plan, string ownerId)
    {
        var labels = new Dictionary<string, string>(plan.Labels, StringComparer.Ordinal) { [GantryLabels.Owner] = ownerId };

        var exposed = new SortedDictionary<string, EmptyObject>(StringComparer.Ordinal);
        var bindings = new SortedDictionary<string, IReadOnlyList<PortBinding>>(StringComparer.Ordinal);
        foreach (var port in plan.Ports)
        {
            var key = $"{port.Target}/{port.Protocol}";
            exposed[key] = new EmptyObject();
            if (port.Published is not null || port.HostIp is not null)
            {
                var list = bindings.TryGetValue(key, out var existing) ? existing.ToList() : [];
                list.Add(new PortBinding { HostIp = port.HostIp, HostPort = port.Published ?? "" });
                bindings[key] = list;
            }
            else
            {
                // Published with no host port: let the engine choose one, like compose does.
                bindings[key] = [new PortBinding { HostPort = "" }];
            }
        }
        foreach (var expose in plan.ExposedPorts)
        {
            foreach (var key in ExpandExpose(expose))
            {
                exposed[key] = new EmptyObject();
            }
        }

        var mounts = plan.Mounts.Select(m => m.Type switch
        {
            MountType.Volume => new Mount { Type = "volume", Source = m.Source, Target = m.Target, ReadOnly = m.ReadOnly ? true : null },
            MountType.Bind => new Mount { Type = "bind", Source = m.Source, Target = m.Target, ReadOnly = m.ReadOnly ? true : null },
            _ => new Mount { Type = "tmpfs", Target = m.Target, TmpfsOptions = m.TmpfsSizeBytes is { } size ? new TmpfsMountOptions { SizeBytes = size } : null },
        }).ToList();

        HealthConfig? health = plan.HealthCheck switch
        {
            null => null,
            { Disable: true } => new HealthConfig { Test = ["NONE"] },
            var h => new HealthConfig { Test = h.Test, Interval = h.Interval, Timeout = h.Timeout, Retries = h.Retries, StartPeriod = h.StartPeriod },
        };

        var first = plan.Networks.FirstOrDefault();
        return new ContainerCreateParameters
        {
            Name = plan.Name,
            Image = plan.Image,
            Cmd = plan.Command,
            Entrypoint = plan.Entrypoint,
            Env = plan.Environment,
            User = plan.User,
            WorkingDir = plan.WorkingDir,
            Labels = labels,
            ExposedPorts = exposed.Count > 0 ? exposed : null,
            Healthcheck = health,
            StopSignal = plan.StopSignal,
            StopTimeout = plan.StopGracePeriod is { } grace ? (int)Math.Ceiling(grace.TotalSeconds) : null,
            HostConfig = new HostConfig
            {
                Memory = plan.MemoryLimitBytes,
                // Swap equal to memory: no swap, so the limit is the limit (the source material's JVM
                // "avalanche" came from memory that looked available and was not).
                MemorySwap = plan.MemoryLimitBytes,
                MemoryReservation = plan.MemoryReservationBytes,
                NanoCpus = plan.NanoCpus,
                PidsLimit = plan.PidsLimit,
                RestartPolicy = plan.Restart.Condition switch
                {
                    RestartCondition.None => new RestartPolicy { Name = "no" },
                    RestartCondition.OnFailure => new RestartPolicy { Name = "on-failure", MaximumRetryCount = plan.Restart.MaxAttempts },
                    _ => new RestartPolicy { Name = "unless-stopped" },
                },
                Mounts = mounts.Count > 0 ? mounts : null,
                PortBindings = bindings.Count > 0 ? bindings : null,
                ExtraHosts = plan.ExtraHosts.Count > 0 ? plan.ExtraHosts : null,
                // Bounded container logs: a chatty replica must not fill the node's disk.
                LogConfig = new LogConfig { Type = "json-file", Config = new Dictionary<string, string> { ["max-size"] = "10m", ["max-file"] = "3" } },
                NetworkMode = first.Network,
            },
            NetworkingConfig = first.Network is null ? null : NetworkingConfig.For(first.Network, [.. first.Aliases]),
        };
    }

    /// <summary>What an inspection says of a container, in the planner's terms.</summary>
    public static ObservedContainer ToObserved(ContainerInspectResponse c)
    {
        var state = c.State;
        return new ObservedContainer(c.Id, c.Name.TrimStart('/'))
        {
            Labels = c.Config.Labels ?? new Dictionary<string, string>(),
            State = state.Status,
            Health = state.Health?.Status is { Length: > 0 } health ? health : "none",
            ExitCode = state.ExitCode,
            OomKilled = state.OomKilled,
            RestartCount = c.RestartCount,
            Error = string.IsNullOrEmpty(state.Error) ? null : state.Error,
            StartedAt = Real(state.StartedAt),
            FinishedAt = Real(state.FinishedAt),
            ImageId = c.Image,
            MemoryLimitBytes = c.HostConfig.Memory ?? 0,
            NanoCpus = c.HostConfig.NanoCpus ?? 0,
            IpAddress = c.NetworkSettings.Networks?.Values.Select(n => n.IPAddress).FirstOrDefault(ip => !string.IsNullOrEmpty(ip)),
        };
    }

    /// <summary>The engine writes 0001-01-01 for "never"; that is no time at all.</summary>
    private static DateTimeOffset? Real(DateTimeOffset? time) => time is { Year: > 1 } t ? t : null;

    private static IEnumerable<string> ExpandExpose(string expose)
    {
        var protocol = "tcp";
        var ports = expose;
        var slash = expose.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            protocol = expose[(slash + 1)..];
            ports = expose[..slash];
        }
        var dash = ports.IndexOf('-', StringComparison.Ordinal);
        if (dash > 0 && int.TryParse(ports[..dash], CultureInfo.InvariantCulture, out var from) && int.TryParse(ports[(dash + 1)..], CultureInfo.InvariantCulture, out var to) && to >= from && to - from < 1024)
        {
            for (var p = from; p <= to; p++)
            {
                yield return $"{p}/{protocol}";
            }
            yield break;
        }
        yield return $"{ports}/{protocol}";
    }
}
