using System.Globalization;
using System.Text.Json.Nodes;

namespace Gantry.Model.Releases;

// How each field's value reads in a diff line: ports, mounts, health checks, sizes, durations and the rest.
public static partial class ReleaseDiff
{
    private static string? Flag(bool? value) => value is { } v ? (v ? "true" : "false") : null;

    private static string Summary(ServiceSpec service) =>
        $"{Image(service, withId: true)}, {service.Replicas} replica{(service.Replicas == 1 ? "" : "s")}";

    private static string Image(ServiceSpec service, bool withId) =>
        (service.Image ?? "(built)") + (withId && service.PinnedImage is { } id ? "@" + ShortImageId(id) : "");

    private static string? Build(BuildSpec? build) => build is null ? null
        : build.Context + (build.Dockerfile == "Dockerfile" ? "" : $" (dockerfile {build.Dockerfile})") + (build.Target is null ? "" : $" (target {build.Target})");

    private static string? MaskEntry(string key, string? value) =>
        value is null or Unset ? value : ConfigurationMasker.MaskText(key, value);

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

    private static string? MaskedJson(JsonNode? node, string? key) => ConfigurationMasker.MaskJson(node, key);

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

    private static string Source(FileObjectSpec f) =>
        f.External ? "external"
        : f.File is not null ? "file " + f.File
        : f.EnvironmentVariable is not null ? "environment " + f.EnvironmentVariable
        : f.Content is not null ? "inline content"
        : "(no source)";

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
}
