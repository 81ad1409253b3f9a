using System.Net;
using System.Text.RegularExpressions;
using Gantry.Compose.Validation;
using Gantry.Compose.Yaml;
using Gantry.Model;

namespace Gantry.Compose.Mapping;

// The container's own runtime settings (issue 16): identity (hostname, domainname), file system (read_only, shm_size),
// process (init, tty, stdin_open, ulimits, sysctls), name resolution (dns*), logging, image (pull_policy, platform,
// runtime), CPU placement (cpu_shares, cpuset), group_add, network_mode and links.
internal sealed partial class ServiceMapper
{
    /// <summary>The ulimit names the engine knows (setrlimit's resources without RLIMIT_).</summary>
    private static readonly string[] s_ulimitNames =
        ["core", "cpu", "data", "fsize", "locks", "memlock", "msgqueue", "nice", "nofile", "nproc", "rss", "rtprio", "rttime", "sigpending", "stack"];

    [GeneratedRegex("^[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?(\\.[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?)*$")]
    private static partial Regex HostName();

    [GeneratedRegex("^(always|never|build|if_not_present|missing|refresh|daily|weekly|every_([0-9]+[wdhms])+)$")]
    private static partial Regex PullPolicyPattern();

    [GeneratedRegex("^[a-z0-9]+/[a-z0-9_]+(/[a-z0-9]+)?$")]
    private static partial Regex PlatformPattern();

    [GeneratedRegex("^[0-9]+(-[0-9]+)?(,[0-9]+(-[0-9]+)?)*$")]
    private static partial Regex CpusetPattern();

    /// <summary>Where each service's links were written, for the project-level pass that turns them into aliases.</summary>
    public Dictionary<string, List<(string Target, string Alias, ComposeNode Node, string Path)>> Links { get; } = new(StringComparer.Ordinal);

    /// <summary>Where each `network_mode: service:NAME` was written, for the project-level pass that checks NAME.</summary>
    public Dictionary<string, (string Target, ComposeNode Node, string Path)> NetworkModeServices { get; } = new(StringComparer.Ordinal);

    private ServiceSpec ApplyContainerKeys(ServiceSpec spec, MappingNode svc, string path)
    {
        ComposeNode? Get(string key) => svc.Get(key);
        string P(string key) => NodeReader.Join(path, key);
        MapLinks(Get("links"), P("links"));
        var networkMode = MapNetworkMode(svc, path);
        return spec with
        {
            Hostname = HostNameValue(Get("hostname"), P("hostname"), "hostname"),
            Domainname = HostNameValue(Get("domainname"), P("domainname"), "domainname"),
            ReadOnly = TrueOrNull(reader.Bool(Get("read_only"), P("read_only"))),
            Init = reader.Bool(Get("init"), P("init")),
            Tty = TrueOrNull(reader.Bool(Get("tty"), P("tty"))),
            StdinOpen = TrueOrNull(reader.Bool(Get("stdin_open"), P("stdin_open"))),
            Dns = MapDns(Get("dns"), P("dns")),
            DnsSearch = NullIfEmpty(reader.Strings(Get("dns_search"), P("dns_search"), allowString: true)?.Select(x => x.Value).ToList()),
            DnsOptions = NullIfEmpty(reader.Strings(Get("dns_opt"), P("dns_opt"))?.Select(x => x.Value).ToList()),
            Ulimits = MapUlimits(Get("ulimits"), P("ulimits")),
            Sysctls = MapSysctls(Get("sysctls"), P("sysctls")),
            Logging = MapLogging(Get("logging"), P("logging")),
            PullPolicy = MapPullPolicy(Get("pull_policy"), P("pull_policy"), spec.Build is not null),
            ShmSizeBytes = reader.Bytes(Get("shm_size"), P("shm_size")),
            Platform = MapPlatform(Get("platform"), P("platform"), reader.String(Get("runtime"), P("runtime"))),
            Runtime = reader.String(Get("runtime"), P("runtime")),
            CpuShares = reader.Integer(Get("cpu_shares"), P("cpu_shares"), 2, 262144),
            Cpuset = Matching(Get("cpuset"), P("cpuset"), CpusetPattern(), "CPU numbers and ranges such as 0-1 or 0,2"),
            GroupAdd = NullIfEmpty(reader.Strings(Get("group_add"), P("group_add"))?.Select(x => x.Value).ToList()),
            NetworkMode = networkMode,
            Networks = networkMode is null ? spec.Networks : [],
        };
    }

    private static bool? TrueOrNull(bool? value) => value == true ? true : null;

    private static List<T>? NullIfEmpty<T>(List<T>? list) => list is { Count: > 0 } ? list : null;

    private string? HostNameValue(ComposeNode? node, string path, string key)
    {
        var value = reader.String(node, path);
        if (value is not null && (value.Length > 253 || !HostName().IsMatch(value)))
        {
            Diagnostics.Error(node!, path, $"'{value}' is not a valid {key}: use letters, digits and '-' in dot-separated labels, such as web1 or db.internal");
            return null;
        }
        return value;
    }

    private string? Matching(ComposeNode? node, string path, Regex pattern, string expected)
    {
        var value = reader.String(node, path);
        if (value is not null && !pattern.IsMatch(value))
        {
            Diagnostics.Error(node!, path, $"'{value}' is not a valid {path[(path.LastIndexOf('.') + 1)..]}: use {expected}");
            return null;
        }
        return value;
    }

    private string? MapPullPolicy(ComposeNode? node, string path, bool builds)
    {
        var policy = Matching(node, path, PullPolicyPattern(), "always, never, missing, if_not_present, build, daily, weekly or every_12h");
        if (policy == "build" && !builds)
        {
            Diagnostics.Error(node!, path, "pull_policy 'build' needs a 'build' section: add one, or use missing");
        }
        else if (policy is "daily" or "weekly" or "refresh" || policy?.StartsWith("every_", StringComparison.Ordinal) == true)
        {
            Diagnostics.Warning(node!, path, $"pull_policy '{policy}' (a time-based refresh) is not applied by Gantry: the image is pulled when the engine lacks it, as with 'missing'; use 'always' to pull on every deploy");
        }
        return policy;
    }

    private string? MapPlatform(ComposeNode? node, string path, string? runtime)
    {
        var platform = Matching(node, path, PlatformPattern(), "os/arch or os/arch/variant, such as linux/amd64 or linux/arm64/v8");
        // A runtime of its own (wasm, gVisor, ...) decides what it can run; otherwise the engine runs its own OS and architecture only.
        if (platform is null || runtime is not null || context.EnginePlatform is not { } engine)
        {
            return platform;
        }
        var parts = platform.Split('/');
        if (!engine.Equals($"{parts[0]}/{parts[1]}", StringComparison.Ordinal))
        {
            Diagnostics.Error(node!, path, $"platform '{platform}' does not match the engine, which runs {engine}: remove 'platform' or set it to {engine}, and use an image built for {engine}");
        }
        return platform;
    }

    private List<string>? MapDns(ComposeNode? node, string path)
    {
        var result = new List<string>();
        foreach (var (value, at, itemPath) in reader.Strings(node, path, allowString: true) ?? [])
        {
            if (!IPAddress.TryParse(value, out _))
            {
                Diagnostics.Error(at, itemPath, $"dns server '{value}' is not an IP address: use an address such as 1.1.1.1 (names cannot be resolved before DNS is set)");
                continue;
            }
            result.Add(value);
        }
        return NullIfEmpty(result);
    }

    private List<UlimitSpec>? MapUlimits(ComposeNode? node, string path)
    {
        var map = reader.Map(node, path);
        if (map is null)
        {
            return null;
        }
        var result = new List<UlimitSpec>();
        foreach (var (key, value) in map.Entries)
        {
            var itemPath = NodeReader.Join(path, key.Value);
            if (!s_ulimitNames.Contains(key.Value))
            {
                var suggestion = DidYouMean.Suggest(key.Value, s_ulimitNames);
                Diagnostics.Error(key, itemPath, $"'{key.Value}' is not a ulimit the engine knows: {(suggestion is null ? "use one of " + string.Join(", ", s_ulimitNames) : $"did you mean '{suggestion}'?")}");
                continue;
            }
            if (value is MappingNode limits)
            {
                SchemaKeys.Ulimit.Check(limits, itemPath, Diagnostics);
                var soft = reader.Integer(limits.Get("soft"), NodeReader.Join(itemPath, "soft"), -1);
                var hard = reader.Integer(limits.Get("hard"), NodeReader.Join(itemPath, "hard"), -1);
                if (soft is null || hard is null)
                {
                    if (limits.Get("soft") is null || limits.Get("hard") is null)
                    {
                        Diagnostics.Error(limits, itemPath, $"ulimit '{key.Value}' needs both 'soft' and 'hard' (or one number for both)");
                    }
                    continue;
                }
                if (hard != -1 && (soft == -1 || soft > hard))
                {
                    Diagnostics.Error(limits, itemPath, $"ulimit '{key.Value}': soft ({soft}) is above hard ({hard}); the soft limit must not exceed the hard one");
                    continue;
                }
                result.Add(new UlimitSpec(key.Value, soft.Value, hard.Value));
            }
            else if (reader.Integer(value, itemPath, -1) is { } both)
            {
                result.Add(new UlimitSpec(key.Value, both, both));
            }
        }
        return NullIfEmpty(result.OrderBy(u => u.Name, StringComparer.Ordinal).ToList());
    }

    private SortedDictionary<string, string>? MapSysctls(ComposeNode? node, string path)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value, at, itemPath) in reader.ListOrDict(node, path, "sysctls") ?? [])
        {
            if (value is null || value.Length == 0)
            {
                Diagnostics.Error(at, itemPath, $"sysctl '{key}' needs a value, such as {key}=1");
                continue;
            }
            result[key] = value;
        }
        return result.Count > 0 ? result : null;
    }

    private LoggingSpec? MapLogging(ComposeNode? node, string path)
    {
        var map = reader.Map(node, path);
        if (map is null)
        {
            return null;
        }
        SchemaKeys.Logging.Check(map, path, Diagnostics);
        var options = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value, _, _) in reader.ListOrDict(map.Get("options"), NodeReader.Join(path, "options"), "options") ?? [])
        {
            options[key] = value ?? "";
        }
        var driver = reader.String(map.Get("driver"), NodeReader.Join(path, "driver"));
        return new LoggingSpec { Driver = driver, Options = options };
    }

    private void MapLinks(ComposeNode? node, string path)
    {
        foreach (var (value, at, itemPath) in reader.Strings(node, path) ?? [])
        {
            var colon = value.IndexOf(':', StringComparison.Ordinal);
            var target = colon < 0 ? value : value[..colon];
            var alias = colon < 0 ? value : value[(colon + 1)..];
            if (target.Length == 0 || alias.Length == 0 || !HostName().IsMatch(alias))
            {
                Diagnostics.Error(at, itemPath, $"'{value}' is not a valid link: use SERVICE or SERVICE:ALIAS");
                continue;
            }
            if (!Links.TryGetValue(_currentService, out var list))
            {
                Links[_currentService] = list = [];
            }
            list.Add((target, alias, at, itemPath));
        }
    }

    private string? MapNetworkMode(MappingNode svc, string path)
    {
        var node = svc.Get("network_mode");
        var itemPath = NodeReader.Join(path, "network_mode");
        var mode = reader.String(node, itemPath);
        if (mode is null)
        {
            return null;
        }
        if (!NodeReader.IsAbsent(svc.Get("networks")))
        {
            Diagnostics.Error(node!, itemPath, $"network_mode '{mode}' and networks are both set: a container either joins networks or uses network_mode; remove one of them");
            return null;
        }
        var shares = mode.StartsWith("service:", StringComparison.Ordinal) || mode.StartsWith("container:", StringComparison.Ordinal);
        switch (mode)
        {
            case "none" or "bridge":
                break;
            case "host":
                context.Privilege.Check(node!, itemPath, "network_mode 'host'", "puts the container on the host's own network stack (every host port and interface)");
                break;
            case var _ when mode.StartsWith("service:", StringComparison.Ordinal) && mode.Length > "service:".Length:
                NetworkModeServices[_currentService] = (mode["service:".Length..], node!, itemPath);
                break;
            case var _ when mode.StartsWith("container:", StringComparison.Ordinal) && mode.Length > "container:".Length:
                context.Privilege.Check(node!, itemPath, $"network_mode '{mode}'", "joins the network stack of a container outside this app");
                break;
            default:
                Diagnostics.Error(node!, itemPath, $"'{mode}' is not a valid network_mode: use none, bridge, host, service:NAME or container:NAME");
                return null;
        }
        if (shares || mode == "none")
        {
            // The engine refuses these beside a shared or absent network stack; say so at the key instead of at container creation.
            foreach (var key in new[] { "ports", "expose", "hostname", "domainname", "dns", "dns_search", "dns_opt", "extra_hosts" }.Where(k => shares || k is "ports" or "expose"))
            {
                if (svc.GetKey(key) is { } conflicting && !NodeReader.IsAbsent(svc.Get(key)))
                {
                    Diagnostics.Error(conflicting, NodeReader.Join(path, key), $"'{key}' cannot be used with network_mode '{mode}'{(shares ? ", which shares another container's network stack: set it on that service" : ", which gives the container no network")}; remove it");
                }
            }
        }
        else if (mode == "host")
        {
            if (svc.GetKey("ports") is { } ports && !NodeReader.IsAbsent(svc.Get("ports")))
            {
                Diagnostics.Warning(ports, NodeReader.Join(path, "ports"), "ports are ignored with network_mode 'host': the container listens on the host's ports directly");
            }
            // The host's network namespace is the host's: the engine refuses to set net.* there, and it must not.
            foreach (var (key, _, at, sysctlPath) in reader.ListOrDict(svc.Get("sysctls"), NodeReader.Join(path, "sysctls"), "sysctls") ?? [])
            {
                if (key.StartsWith("net.", StringComparison.Ordinal))
                {
                    Diagnostics.Error(at, sysctlPath, $"sysctl '{key}' cannot be set with network_mode 'host': it would change the host's own network settings; set it on the host, or leave network_mode host");
                }
            }
        }
        return mode;
    }
}
