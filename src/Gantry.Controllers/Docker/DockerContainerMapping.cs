using System.Globalization;
using Gantry.Controllers.Engine;
using Gantry.Docker;
using Gantry.Docker.Containers;
using Gantry.Model;

namespace Gantry.Controllers.Docker;

/// <summary>Maps a <see cref="ContainerPlan"/> onto the Engine API's create body, and an inspection back to an <see cref="ObservedContainer"/>. Pure, so it is unit-tested without an engine.</summary>
public static class DockerContainerMapping
{
    /// <summary>The bounded default log options: a chatty replica must not fill the node's disk (10 MB x 3 files).</summary>
    /// <summary>A compose health check as the engine's; null: the image's own.</summary>
    public static HealthConfig? ToHealth(HealthCheckSpec? check) => check switch
    {
        null => null,
        { Disable: true } => new HealthConfig { Test = ["NONE"] },
        var h => new HealthConfig { Test = h.Test, Interval = h.Interval, Timeout = h.Timeout, Retries = h.Retries, StartPeriod = h.StartPeriod },
    };

    public static readonly IReadOnlyDictionary<string, string> DefaultLogOptions = new Dictionary<string, string>(StringComparer.Ordinal) { ["max-size"] = "10m", ["max-file"] = "3" };

    /// <param name="sharedStack">For `network_mode: service:NAME`: the id of that service's container whose network stack this one joins.</param>
    public static ContainerCreateParameters ToCreateParameters(ContainerPlan plan, string ownerId, string? sharedStack = null)
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

        // The Mount API of engines before 1.46 has no tmpfs flags: a tmpfs with noexec/nosuid/... goes through HostConfig.Tmpfs.
        var mounts = plan.Mounts.Where(m => m.TmpfsFlags is null).Select(ToMount).ToList();
        var tmpfs = plan.Mounts.Where(m => m.Type == MountType.Tmpfs && m.TmpfsFlags is not null).ToDictionary(m => m.Target, TmpfsOptionString, StringComparer.Ordinal);

        var health = ToHealth(plan.HealthCheck);

        var first = plan.Networks.FirstOrDefault();
        var service = plan.Source ?? new ServiceSpec { Name = plan.Service };
        var networkMode = service.NetworkMode switch
        {
            null => first.Network,
            var shared when shared.StartsWith("service:", StringComparison.Ordinal) =>
                "container:" + (sharedStack ?? throw new ArgumentException($"network_mode '{shared}' needs the id of that service's container", nameof(sharedStack))),
            var mode => mode,
        };
        return new ContainerCreateParameters
        {
            Name = plan.Name,
            Image = plan.Image,
            Platform = service.Platform,
            Hostname = service.Hostname,
            Domainname = service.Domainname,
            Tty = service.Tty,
            OpenStdin = service.StdinOpen,
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
                MemorySwap = service.Resources.MemorySwapBytes ?? plan.MemoryLimitBytes,
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
                LogConfig = ToLogConfig(service.Logging),
                NetworkMode = networkMode,
                Tmpfs = tmpfs.Count > 0 ? tmpfs : null,
                ReadonlyRootfs = service.ReadOnly,
                Init = service.Init,
                ShmSize = service.ShmSizeBytes,
                Dns = service.Dns,
                DnsSearch = service.DnsSearch,
                DnsOptions = service.DnsOptions,
                Ulimits = service.Ulimits?.Select(u => new Ulimit { Name = u.Name, Soft = u.Soft, Hard = u.Hard }).ToList(),
                Sysctls = service.Sysctls,
                Runtime = service.Runtime,
                CpuShares = service.CpuShares,
                CpusetCpus = service.Cpuset,
                GroupAdd = service.GroupAdd,
                CapAdd = service.CapAdd,
                CapDrop = service.CapDrop,
                SecurityOpt = service.SecurityOpt,
                Privileged = service.Privileged,
                Devices = service.Devices?.Select(d => new DeviceMapping { PathOnHost = d.PathOnHost, PathInContainer = d.PathInContainer, CgroupPermissions = d.Permissions }).ToList(),
                PidMode = service.Pid,
                IpcMode = service.Ipc,
                UsernsMode = service.UsernsMode,
            },
            NetworkingConfig = service.NetworkMode is not null || first.Network is null ? null
                : NetworkingConfig.ForAddress(first.Network, plan.Ipv4Addresses?.GetValueOrDefault(first.Network), first.Aliases),
        };
    }

    /// <summary>
    /// The service's log driver, or json-file. A json-file (or local default) log without max-size would grow until the
    /// disk is full, so Gantry bounds it unless the file says otherwise (max-size: -1 asks for unbounded explicitly).
    /// </summary>
    public static LogConfig ToLogConfig(LoggingSpec? logging)
    {
        var driver = logging?.Driver ?? "json-file";
        var options = new Dictionary<string, string>(logging?.Options ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        if (driver == "json-file" && !options.ContainsKey("max-size"))
        {
            options["max-size"] = DefaultLogOptions["max-size"];
            options.TryAdd("max-file", DefaultLogOptions["max-file"]);
        }
        return new LogConfig { Type = driver, Config = options.Count > 0 ? options : null };
    }

    private static string TmpfsOptionString(MountSpec m)
    {
        var options = new List<string> { m.ReadOnly ? "ro" : "rw" };
        options.AddRange(m.TmpfsFlags ?? []);
        if (m.TmpfsSizeBytes is { } size)
        {
            options.Add("size=" + size.ToString(CultureInfo.InvariantCulture));
        }
        if (m.TmpfsMode is { } mode)
        {
            options.Add("mode=" + Convert.ToString(mode, 8));
        }
        return string.Join(',', options);
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

    /// <summary>A planned mount in the Engine API's Mount shape (the container API's, and a Swarm task's).</summary>
    internal static Mount ToMount(MountSpec m) => m.Type switch
    {
        MountType.Volume => new Mount { Type = "volume", Source = m.Source, Target = m.Target, ReadOnly = m.ReadOnly ? true : null },
        MountType.Bind => new Mount { Type = "bind", Source = m.Source, Target = m.Target, ReadOnly = m.ReadOnly ? true : null },
        _ => new Mount
        {
            Type = "tmpfs",
            Target = m.Target,
            ReadOnly = m.ReadOnly ? true : null,
            TmpfsOptions = m.TmpfsSizeBytes is null && m.TmpfsMode is null ? null : new TmpfsMountOptions { SizeBytes = m.TmpfsSizeBytes, Mode = m.TmpfsMode },
        },
    };
}
