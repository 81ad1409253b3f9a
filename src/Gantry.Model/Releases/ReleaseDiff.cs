using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

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

    /// <summary>One change as one line, as `gantry release APP N` and the console print it: `~ path: before → after`, `+ path: after` or `- path: before`.</summary>
    public static string Line(ReleaseChange change) => (change.Before, change.After) switch
    {
        (null, null) => $"~ {change.Path}",
        (null, { } after) => $"+ {change.Path}: {after}",
        ({ } before, null) => $"- {change.Path}: {before}",
        ({ } before, { } after) => $"~ {change.Path}: {before} → {after}",
    };

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

    private static void DiffHealthCheck(List<ReleaseChange> changes, string path, HealthCheckSpec? b, HealthCheckSpec? a)
    {
        var (rawBefore, rawAfter) = (Health(b, raw: true), Health(a, raw: true));
        if (!string.Equals(rawBefore, rawAfter, StringComparison.Ordinal))
        {
            AddShown(changes, path, Health(b, raw: false), Health(a, raw: false));
        }
    }

    private static void DiffResources(List<ReleaseChange> changes, string path, ResourcesSpec b, ResourcesSpec a)
    {
        Add(changes, path + ".limits.memory", Bytes(b.MemoryLimitBytes), Bytes(a.MemoryLimitBytes));
        Add(changes, path + ".limits.cpus", Cpus(b.NanoCpus), Cpus(a.NanoCpus));
        Add(changes, path + ".limits.pids", b.PidsLimit?.ToString(CultureInfo.InvariantCulture), a.PidsLimit?.ToString(CultureInfo.InvariantCulture));
        Add(changes, path + ".reservations.memory", Bytes(b.MemoryReservationBytes), Bytes(a.MemoryReservationBytes));
        Add(changes, path + ".reservations.cpus", Cpus(b.NanoCpusReservation), Cpus(a.NanoCpusReservation));
    }

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
