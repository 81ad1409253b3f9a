using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Gantry.Model.Releases;

/// <summary>
/// Computes what changed between two releases of an app as compose-like paths
/// (`services.web.environment.LOG_LEVEL`), masking every value that looks like a secret so the diff
/// can be shown to anyone allowed to see the app.
/// </summary>
/// <remarks>
/// Pure and deterministic: services by name, each in a fixed field order (image first), then the app's
/// networks, volumes, secrets and configs by name. A change whose masked values read the same on both
/// sides says "(changed)" after, so the reader learns that a secret changed but never what it is.
/// One table of fields, each one line; what is masked is <see cref="ConfigurationMasker"/>'s rule, the same as every other view.
/// </remarks>
public static partial class ReleaseDiff
{
    /// <summary>What a secret-looking value is shown as.</summary>
    public const string Mask = SecretValues.Mask;

    private const string Changed = " (changed)";
    private const string Unset = "(unset)";

    /// <summary>The differences from <paramref name="before"/> (null for the first release: everything is added) to <paramref name="after"/>.</summary>
    public static IReadOnlyList<ReleaseChange> Compute(AppSpec? before, AppSpec after)
    {
        ArgumentNullException.ThrowIfNull(after);
        var changes = new List<ReleaseChange>();
        var old = ByName(before?.Services, s => s.Name);
        var now = ByName(after.Services, s => s.Name);
        foreach (var name in Union(old.Keys, now.Keys))
        {
            var path = "services." + name;
            switch (old.GetValueOrDefault(name), now.GetValueOrDefault(name))
            {
                case (null, { } added):
                    changes.Add(new ReleaseChange(path, null, Summary(added)));
                    break;
                case ({ } removed, null):
                    changes.Add(new ReleaseChange(path, Summary(removed), null));
                    break;
                case ({ } b, { } a):
                    DiffService(changes, path, b, a);
                    break;
            }
        }
        DiffTopLevel(changes, "networks", before?.Networks, after.Networks, n => n.Name, Describe);
        DiffTopLevel(changes, "volumes", before?.Volumes, after.Volumes, v => v.Name, Describe);
        DiffFileObjects(changes, "secrets", before?.Secrets, after.Secrets);
        DiffFileObjects(changes, "configs", before?.Configs, after.Configs);
        return changes;
    }

    /// <summary>"sha256:3f2a1b4c5d6e..." as its first 12 hex digits, as `docker images` shows ids.</summary>
    public static string ShortImageId(string id)
    {
        var hex = id.StartsWith("sha256:", StringComparison.Ordinal) ? id["sha256:".Length..] : id;
        return hex.Length > 12 ? hex[..12] : hex;
    }

    private static void DiffService(List<ReleaseChange> changes, string path, ServiceSpec b, ServiceSpec a)
    {
        var pinChanged = !string.Equals(b.PinnedImage, a.PinnedImage, StringComparison.Ordinal);
        if (pinChanged || !string.Equals(b.Image, a.Image, StringComparison.Ordinal))
        {
            changes.Add(new ReleaseChange(path + ".image", Image(b, pinChanged), Image(a, pinChanged)));
        }
        Add(changes, path + ".build", Build(b.Build), Build(a.Build));
        DiffMap(changes, path + ".build.args", b.Build?.Args, a.Build?.Args);
        AddMasked(changes, path + ".command", b.Command, a.Command);
        AddMasked(changes, path + ".entrypoint", b.Entrypoint, a.Entrypoint);
        DiffMap(changes, path + ".environment", b.Environment, a.Environment);
        Add(changes, path + ".ports", List(b.Ports, Port), List(a.Ports, Port));
        Add(changes, path + ".expose", List(b.Expose, e => e), List(a.Expose, e => e));
        Add(changes, path + ".volumes", List(b.Volumes, Mount), List(a.Volumes, Mount));
        Add(changes, path + ".networks", List(b.Networks, Network), List(a.Networks, Network));
        Add(changes, path + ".depends_on", List(b.DependsOn, Dependency), List(a.DependsOn, Dependency));
        Add(changes, path + ".user", b.User, a.User);
        Add(changes, path + ".working_dir", b.WorkingDir, a.WorkingDir);
        DiffHealthCheck(changes, path + ".healthcheck", b.HealthCheck, a.HealthCheck);
        DiffMap(changes, path + ".labels", ToNullable(b.Labels), ToNullable(a.Labels));
        Add(changes, path + ".secrets", List(b.Secrets, Reference), List(a.Secrets, Reference));
        Add(changes, path + ".configs", List(b.Configs, Reference), List(a.Configs, Reference));
        Add(changes, path + ".deploy.replicas", Number(b.Replicas), Number(a.Replicas));
        DiffResources(changes, path + ".deploy.resources", b.Resources ?? new(), a.Resources ?? new());
        Add(changes, path + ".deploy.restart_policy", Restart(b.Restart), Restart(a.Restart));
        Add(changes, path + ".deploy.update_config", Update(b.Update), Update(a.Update));
        Add(changes, path + ".stop_grace_period", Duration(b.StopGracePeriod), Duration(a.StopGracePeriod));
        Add(changes, path + ".stop_signal", b.StopSignal, a.StopSignal);
        Add(changes, path + ".extra_hosts", List(b.ExtraHosts, h => h), List(a.ExtraHosts, h => h));
        DiffExtensions(changes, path, b.Extensions, a.Extensions);
        Add(changes, path + ".release.strategy", Strategy(b.Release), Strategy(a.Release));
        DiffRuntimeKeys(changes, path, b, a);
    }

    // The runtime and privileged keys of issue 16, one line each under its compose name.
    private static void DiffRuntimeKeys(List<ReleaseChange> changes, string path, ServiceSpec b, ServiceSpec a)
    {
        foreach (var (key, render) in s_runtimeKeys)
        {
            Add(changes, path + "." + key, render(b), render(a));
        }
        DiffMap(changes, path + ".logging.options", ToNullable(b.Logging?.Options), ToNullable(a.Logging?.Options));
    }

    private static readonly (string Key, Func<ServiceSpec, string?> Render)[] s_runtimeKeys =
    [
        ("hostname", s => s.Hostname),
        ("domainname", s => s.Domainname),
        ("read_only", s => Flag(s.ReadOnly)),
        ("init", s => Flag(s.Init)),
        ("tty", s => Flag(s.Tty)),
        ("stdin_open", s => Flag(s.StdinOpen)),
        ("dns", s => List(s.Dns, x => x)),
        ("dns_search", s => List(s.DnsSearch, x => x)),
        ("dns_opt", s => List(s.DnsOptions, x => x)),
        ("ulimits", s => List(s.Ulimits, u => $"{u.Name}={u.Soft}:{u.Hard}")),
        ("sysctls", s => List(s.Sysctls?.ToList(), p => $"{p.Key}={p.Value}")),
        ("logging.driver", s => s.Logging is null ? null : s.Logging.Driver ?? "(default)"),
        ("pull_policy", s => s.PullPolicy),
        ("shm_size", s => s.ShmSizeBytes is { } shm ? Number(shm) : null),
        ("memswap_limit", s => s.Resources?.MemorySwapBytes is { } swap ? Number(swap) : null),
        ("platform", s => s.Platform),
        ("runtime", s => s.Runtime),
        ("network_mode", s => s.NetworkMode),
        ("cpu_shares", s => s.CpuShares is { } shares ? Number(shares) : null),
        ("cpuset", s => s.Cpuset),
        ("group_add", s => List(s.GroupAdd, x => x)),
        ("cap_add", s => List(s.CapAdd, x => x)),
        ("cap_drop", s => List(s.CapDrop, x => x)),
        ("security_opt", s => List(s.SecurityOpt, x => x)),
        ("privileged", s => Flag(s.Privileged)),
        ("devices", s => List(s.Devices, d => $"{d.PathOnHost}:{d.PathInContainer}:{d.Permissions}")),
        ("pid", s => s.Pid),
        ("ipc", s => s.Ipc),
        ("userns_mode", s => s.UsernsMode),
        ("deploy.placement", s => s.Placement is { } p ? string.Join("; ", p.Constraints.Concat(p.Spread.Select(x => "spread " + x)).Append(p.MaxReplicasPerNode is { } m ? $"max {m} per node" : "")) : null),
    ];

    private static string? Flag(bool? value) => value is { } v ? (v ? "true" : "false") : null;

    private static string Summary(ServiceSpec service) =>
        $"{Image(service, withId: true)}, {service.Replicas} replica{(service.Replicas == 1 ? "" : "s")}";

    private static string Image(ServiceSpec service, bool withId) =>
        (service.Image ?? "(built)") + (withId && service.PinnedImage is { } id ? "@" + ShortImageId(id) : "");

    private static string? Build(BuildSpec? build) => build is null ? null
        : build.Context + (build.Dockerfile == "Dockerfile" ? "" : $" (dockerfile {build.Dockerfile})") + (build.Target is null ? "" : $" (target {build.Target})");

    private static void DiffMap(List<ReleaseChange> changes, string path, IReadOnlyDictionary<string, string?>? before, IReadOnlyDictionary<string, string?>? after)
    {
        before ??= new Dictionary<string, string?>();
        after ??= new Dictionary<string, string?>();
        foreach (var key in Union(before.Keys, after.Keys))
        {
            var b = before.TryGetValue(key, out var bv) ? bv ?? Unset : null;
            var a = after.TryGetValue(key, out var av) ? av ?? Unset : null;
            if (string.Equals(b, a, StringComparison.Ordinal))
            {
                continue;
            }
            AddShown(changes, $"{path}.{key}", MaskEntry(key, b), MaskEntry(key, a));
        }
    }

    private static string? MaskEntry(string key, string? value) =>
        value is null or Unset ? value : ConfigurationMasker.MaskText(key, value);

    private static IReadOnlyDictionary<string, string?> ToNullable(IReadOnlyDictionary<string, string>? map) =>
        map?.ToDictionary(p => p.Key, p => (string?)p.Value, StringComparer.Ordinal) ?? [];

    private static void AddMasked(List<ReleaseChange> changes, string path, IReadOnlyList<string>? before, IReadOnlyList<string>? after)
    {
        if (before is null && after is null || before is not null && after is not null && before.SequenceEqual(after, StringComparer.Ordinal))
        {
            return;
        }
        AddShown(changes, path, Args(before), Args(after));
    }

    /// <summary>Arguments as a shell would read them, with secret-looking ones masked (`--password x`, `--token=x`, keys, URLs with credentials).</summary>
    private static string? Args(IReadOnlyList<string>? args) => args is null ? null : string.Join(' ', ConfigurationMasker.MaskArguments(args).Select(Quote));

    private static string Quote(string arg) =>
        arg.Length > 0 && !arg.Any(c => char.IsWhiteSpace(c) || c is '"' or '\'' or '\\') ? arg
        : "\"" + arg.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    private static string Port(PortSpec p) =>
        (p.HostIp is null ? "" : p.HostIp + ":") + (p.Published is null ? "" : p.Published + ":") + p.Target.ToString(CultureInfo.InvariantCulture) + "/" + p.Protocol
        + (p.Mode == "host" ? " (host mode)" : "");

    private static string Mount(MountSpec m) => m.Type switch
    {
        MountType.Tmpfs => "tmpfs:" + m.Target + (m.TmpfsSizeBytes is { } size ? " (" + Bytes(size) + ")" : ""),
        _ => (m.Source is null ? "" : m.Source + ":") + m.Target + (m.ReadOnly ? ":ro" : ""),
    };

    private static string Network(ServiceNetworkSpec n) =>
        n.Network + (n.Aliases is { Count: > 0 } aliases ? $" (aliases {string.Join(' ', aliases)})" : "") + (n.Ipv4Address is null ? "" : $" ({n.Ipv4Address})");

    private static string Dependency(DependencySpec d) => d.Condition switch
    {
        DependencyCondition.Healthy => d.Service + " (service_healthy)",
        DependencyCondition.CompletedSuccessfully => d.Service + " (service_completed_successfully)",
        _ => d.Service,
    };

    private static string Reference(FileReferenceSpec r) => r.Source + ":" + r.Target;

    private static void DiffHealthCheck(List<ReleaseChange> changes, string path, HealthCheckSpec? b, HealthCheckSpec? a)
    {
        var (rawBefore, rawAfter) = (Health(b, raw: true), Health(a, raw: true));
        if (!string.Equals(rawBefore, rawAfter, StringComparison.Ordinal))
        {
            AddShown(changes, path, Health(b, raw: false), Health(a, raw: false));
        }
    }

    private static string? Health(HealthCheckSpec? h, bool raw)
    {
        if (h is null)
        {
            return null;
        }
        if (h.Disable)
        {
            return "disabled";
        }
        var parts = new List<string> { raw ? string.Join('\0', h.Test ?? []) : Args(h.Test ?? [])! };
        AddPart(parts, "interval", Duration(h.Interval));
        AddPart(parts, "timeout", Duration(h.Timeout));
        AddPart(parts, "retries", h.Retries?.ToString(CultureInfo.InvariantCulture));
        AddPart(parts, "start_period", Duration(h.StartPeriod));
        AddPart(parts, "start_interval", Duration(h.StartInterval));
        return string.Join(", ", parts);
    }

    private static void DiffResources(List<ReleaseChange> changes, string path, ResourcesSpec b, ResourcesSpec a)
    {
        Add(changes, path + ".limits.memory", Bytes(b.MemoryLimitBytes), Bytes(a.MemoryLimitBytes));
        Add(changes, path + ".limits.cpus", Cpus(b.NanoCpus), Cpus(a.NanoCpus));
        Add(changes, path + ".limits.pids", b.PidsLimit?.ToString(CultureInfo.InvariantCulture), a.PidsLimit?.ToString(CultureInfo.InvariantCulture));
        Add(changes, path + ".reservations.memory", Bytes(b.MemoryReservationBytes), Bytes(a.MemoryReservationBytes));
        Add(changes, path + ".reservations.cpus", Cpus(b.NanoCpusReservation), Cpus(a.NanoCpusReservation));
    }

    private static string? Restart(RestartPolicySpec? r)
    {
        if (r is null)
        {
            return null;
        }
        var parts = new List<string>
        {
            "condition " + r.Condition switch { RestartCondition.None => "none", RestartCondition.OnFailure => "on-failure", _ => "any" },
        };
        AddPart(parts, "max_attempts", r.MaxAttempts?.ToString(CultureInfo.InvariantCulture));
        AddPart(parts, "delay", Duration(r.Delay));
        AddPart(parts, "window", Duration(r.Window));
        return string.Join(", ", parts);
    }

    private static string? Update(UpdateConfigSpec? u)
    {
        if (u is null)
        {
            return null;
        }
        var parts = new List<string> { "parallelism " + u.Parallelism.ToString(CultureInfo.InvariantCulture), "order " + u.Order, "failure_action " + u.FailureAction };
        AddPart(parts, "delay", Duration(u.Delay));
        AddPart(parts, "monitor", Duration(u.Monitor));
        AddPart(parts, "max_failure_ratio", u.MaxFailureRatio?.ToString(CultureInfo.InvariantCulture));
        return string.Join(", ", parts);
    }

    private static string? Strategy(ReleasePolicy? policy) => policy?.Strategy switch
    {
        null => null,
        ReleaseStrategy.BlueGreen => "blue-green",
        ReleaseStrategy.Recreate => "recreate",
        _ => "rolling",
    };

    /// <summary>`x-gantry` key by key (routes, release settings); other `x-` extensions whole. JSON is compared by meaning, not spelling.</summary>
    private static void DiffExtensions(List<ReleaseChange> changes, string path, IReadOnlyDictionary<string, string>? before, IReadOnlyDictionary<string, string>? after)
    {
        before ??= new Dictionary<string, string>();
        after ??= new Dictionary<string, string>();
        foreach (var key in Union(before.Keys, after.Keys))
        {
            var b = Parse(before.GetValueOrDefault(key));
            var a = Parse(after.GetValueOrDefault(key));
            if (key == "x-gantry" && b is null or JsonObject && a is null or JsonObject)
            {
                var bo = (JsonObject?)b;
                var ao = (JsonObject?)a;
                foreach (var property in Union(bo?.Select(p => p.Key) ?? [], ao?.Select(p => p.Key) ?? []))
                {
                    DiffJson(changes, $"{path}.{key}.{property}", property, bo, ao);
                }
                continue;
            }
            if (!JsonNode.DeepEquals(b, a))
            {
                AddShown(changes, $"{path}.{key}", MaskedJson(b, key), MaskedJson(a, key));
            }
        }
    }

    private static void DiffJson(List<ReleaseChange> changes, string path, string property, JsonObject? before, JsonObject? after)
    {
        var has = (before?.ContainsKey(property) ?? false, after?.ContainsKey(property) ?? false);
        var b = before?[property];
        var a = after?[property];
        if (has.Item1 == has.Item2 && JsonNode.DeepEquals(b, a))
        {
            return;
        }
        AddShown(changes, path, has.Item1 ? MaskedJson(b, property) ?? "null" : null, has.Item2 ? MaskedJson(a, property) ?? "null" : null);
    }

    private static JsonNode? Parse(string? text)
    {
        if (text is null)
        {
            return null;
        }
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            // Not JSON (the loader always writes JSON, but a stored spec may be older): compare it as text.
            return JsonValue.Create(text);
        }
    }

    private static string? MaskedJson(JsonNode? node, string? key) => ConfigurationMasker.MaskJson(node, key);

    private static void DiffTopLevel<T>(List<ReleaseChange> changes, string kind, IReadOnlyList<T>? before, IReadOnlyList<T>? after, Func<T, string> name, Func<T, bool, string> describe)
    {
        var old = ByName(before, name);
        var now = ByName(after, name);
        foreach (var key in Union(old.Keys, now.Keys))
        {
            var b = old.TryGetValue(key, out var bv) ? bv : default;
            var a = now.TryGetValue(key, out var av) ? av : default;
            var raw = (b is null ? null : describe(b, false), a is null ? null : describe(a, false));
            if (!string.Equals(raw.Item1, raw.Item2, StringComparison.Ordinal))
            {
                AddShown(changes, $"{kind}.{key}", b is null ? null : describe(b, true), a is null ? null : describe(a, true));
            }
        }
    }

    private static string Describe(NetworkSpec n, bool mask) =>
        n.External ? "external" + (n.EngineName is null ? "" : " " + n.EngineName)
        : "driver " + n.Driver + (n.Internal ? ", internal" : "") + (n.EngineName is null ? "" : ", name " + n.EngineName) + Options(n.DriverOptions, mask) + Labels(n.Labels, mask);

    private static string Describe(VolumeSpec v, bool mask) =>
        v.External ? "external" + (v.EngineName is null ? "" : " " + v.EngineName)
        : "driver " + v.Driver + (v.EngineName is null ? "" : ", name " + v.EngineName) + Options(v.DriverOptions, mask) + Labels(v.Labels, mask);

    private static string Options(IReadOnlyDictionary<string, string>? options, bool mask) => Pairs(", options ", options, mask);

    private static string Labels(IReadOnlyDictionary<string, string>? labels, bool mask) => Pairs(", labels ", labels, mask);

    private static string Pairs(string prefix, IReadOnlyDictionary<string, string>? pairs, bool mask) =>
        pairs is { Count: > 0 } ? prefix + string.Join(' ', pairs.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={(mask ? ConfigurationMasker.MaskText(p.Key, p.Value) : p.Value)}")) : "";

    /// <summary>Secrets and configs: where the value comes from, never the value; inline content only as "content changed".</summary>
    private static void DiffFileObjects(List<ReleaseChange> changes, string kind, IReadOnlyList<FileObjectSpec>? before, IReadOnlyList<FileObjectSpec>? after)
    {
        var old = ByName(before, f => f.Name);
        var now = ByName(after, f => f.Name);
        foreach (var key in Union(old.Keys, now.Keys))
        {
            var b = old.GetValueOrDefault(key);
            var a = now.GetValueOrDefault(key);
            var (sb, sa) = (b is null ? null : Source(b), a is null ? null : Source(a));
            if (!string.Equals(sb, sa, StringComparison.Ordinal))
            {
                changes.Add(new ReleaseChange($"{kind}.{key}", sb, sa));
            }
            else if (b is not null && a is not null && !string.Equals(b.Content, a.Content, StringComparison.Ordinal))
            {
                changes.Add(new ReleaseChange($"{kind}.{key}", sb, sa + " (content changed)"));
            }
        }
    }

    private static string Source(FileObjectSpec f) =>
        f.External ? "external"
        : f.File is not null ? "file " + f.File
        : f.EnvironmentVariable is not null ? "environment " + f.EnvironmentVariable
        : f.Content is not null ? "inline content"
        : "(no source)";

    private static void Add(List<ReleaseChange> changes, string path, string? before, string? after)
    {
        if (!string.Equals(before, after, StringComparison.Ordinal))
        {
            changes.Add(new ReleaseChange(path, before, after));
        }
    }

    /// <summary>Adds a change the caller found; when masking made both sides read the same, the after side says so.</summary>
    private static void AddShown(List<ReleaseChange> changes, string path, string? before, string? after)
    {
        if (before is not null && string.Equals(before, after, StringComparison.Ordinal))
        {
            after += Changed;
        }
        changes.Add(new ReleaseChange(path, before, after));
    }

    private static void AddPart(List<string> parts, string name, string? value)
    {
        if (value is not null)
        {
            parts.Add(name + " " + value);
        }
    }

    private static string? List<T>(IReadOnlyList<T>? items, Func<T, string> render) =>
        items is null or { Count: 0 } ? null : string.Join(", ", items.Select(render));

    private static string Number(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static string Number(long n) => n.ToString(CultureInfo.InvariantCulture);

    private static string? Cpus(long? nanoCpus) => nanoCpus is { } n ? (n / 1e9).ToString("0.###", CultureInfo.InvariantCulture) : null;

    private static string? Bytes(long? bytes)
    {
        if (bytes is not { } value)
        {
            return null;
        }
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB"];
        double scaled = value;
        var unit = 0;
        while (scaled >= 1024 && unit < units.Length - 1)
        {
            scaled /= 1024;
            unit++;
        }
        return scaled.ToString("0.##", CultureInfo.InvariantCulture) + " " + units[unit];
    }

    /// <summary>"500ms", "30s", "1m30s", "2h": compose's duration spelling.</summary>
    private static string? Duration(TimeSpan? duration)
    {
        if (duration is not { } d)
        {
            return null;
        }
        var text = (d.Days * 24 + d.Hours > 0 ? $"{d.Days * 24 + d.Hours}h" : "") + (d.Minutes > 0 ? $"{d.Minutes}m" : "")
            + (d.Seconds > 0 ? $"{d.Seconds}s" : "") + (d.Milliseconds > 0 ? $"{d.Milliseconds}ms" : "");
        return text.Length == 0 ? "0s" : text;
    }

    private static Dictionary<string, T> ByName<T>(IReadOnlyList<T>? items, Func<T, string> name)
    {
        var map = new Dictionary<string, T>(StringComparer.Ordinal);
        foreach (var item in items ?? [])
        {
            map.TryAdd(name(item), item);
        }
        return map;
    }

    private static SortedSet<string> Union(IEnumerable<string> a, IEnumerable<string> b)
    {
        var set = new SortedSet<string>(a, StringComparer.Ordinal);
        set.UnionWith(b);
        return set;
    }
}
