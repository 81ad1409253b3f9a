using Gantry.Compose.Privilege;
using Gantry.Compose.Validation;
using Gantry.Compose.Yaml;
using Gantry.Model;

namespace Gantry.Compose.Mapping;

// Keys that give a container power over the host (issue 16, docs/decisions/0009): modelled and applied, but only for
// apps the admin allows (PrivilegeGuard). What only takes privilege away is always allowed: cap_drop, adding a
// capability the engine grants anyway, no-new-privileges, privileged: false, ipc private/shareable/none.
internal sealed partial class ServiceMapper
{
    /// <summary>Every Linux capability the engine accepts by name (without CAP_), and ALL.</summary>
    private static readonly string[] s_capabilities =
    [
        "ALL", "AUDIT_CONTROL", "AUDIT_READ", "AUDIT_WRITE", "BLOCK_SUSPEND", "BPF", "CHECKPOINT_RESTORE", "CHOWN",
        "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER", "FSETID", "IPC_LOCK", "IPC_OWNER", "KILL", "LEASE", "LINUX_IMMUTABLE",
        "MAC_ADMIN", "MAC_OVERRIDE", "MKNOD", "NET_ADMIN", "NET_BIND_SERVICE", "NET_BROADCAST", "NET_RAW", "PERFMON",
        "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYSLOG", "SYS_ADMIN", "SYS_BOOT", "SYS_CHROOT", "SYS_MODULE", "SYS_NICE",
        "SYS_PACCT", "SYS_PTRACE", "SYS_RAWIO", "SYS_RESOURCE", "SYS_TIME", "SYS_TTY_CONFIG", "WAKE_ALARM",
    ];

    private ServiceSpec ApplyPrivilegeKeys(ServiceSpec spec, MappingNode svc, string path)
    {
        ComposeNode? Get(string key) => svc.Get(key);
        string P(string key) => NodeReader.Join(path, key);
        var privileged = reader.Bool(Get("privileged"), P("privileged"));
        if (privileged == true)
        {
            context.Privilege.Check(Get("privileged")!, P("privileged"), "privileged: true", "gives the container every capability and every host device, as root on the host");
        }
        return spec with
        {
            CapAdd = MapCapabilities(Get("cap_add"), P("cap_add"), adding: true),
            CapDrop = MapCapabilities(Get("cap_drop"), P("cap_drop"), adding: false),
            SecurityOpt = MapSecurityOptions(Get("security_opt"), P("security_opt")),
            Privileged = privileged == true ? true : null,
            Devices = MapDevices(Get("devices"), P("devices")),
            Pid = MapNamespace(Get("pid"), P("pid"), "pid", [], "the host's processes (it can see and signal every process on the host)"),
            Ipc = MapNamespace(Get("ipc"), P("ipc"), "ipc", ["private", "shareable", "none"], "the host's shared memory and IPC objects"),
            UsernsMode = MapNamespace(Get("userns_mode"), P("userns_mode"), "userns_mode", [], "the host's user namespace (root in the container is root on the host when the engine remaps users)"),
        };
    }

    private List<string>? MapCapabilities(ComposeNode? node, string path, bool adding)
    {
        var result = new List<string>();
        foreach (var (value, at, itemPath) in reader.Strings(node, path) ?? [])
        {
            var name = value.ToUpperInvariant();
            name = name.StartsWith("CAP_", StringComparison.Ordinal) ? name[4..] : name;
            if (!s_capabilities.Contains(name))
            {
                // DidYouMean compares in lower case.
                var suggestion = DidYouMean.Suggest(name, s_capabilities.Select(c => c.ToLowerInvariant()))?.ToUpperInvariant();
                Diagnostics.Error(at, itemPath, $"'{value}' is not a Linux capability{(suggestion is null ? ": use a name such as NET_ADMIN or ALL" : $": did you mean '{suggestion}'?")}");
                continue;
            }
            // Adding a capability the engine grants every container anyway grants nothing (the usual cap_drop ALL + cap_add CHOWN).
            if (adding && !PrivilegeGuard.DefaultCapabilities.Contains(name))
            {
                context.Privilege.Check(at, itemPath, $"cap_add '{name}'", name == "ALL" ? "gives the container every capability" : "gives the container a capability beyond the engine's defaults");
            }
            result.Add(name);
        }
        return NullIfEmpty(result);
    }

    private List<string>? MapSecurityOptions(ComposeNode? node, string path)
    {
        var result = new List<string>();
        foreach (var (value, at, itemPath) in reader.Strings(node, path) ?? [])
        {
            var separator = value.IndexOfAny([':', '=']);
            var name = separator < 0 ? value : value[..separator];
            var setting = separator < 0 ? "" : value[(separator + 1)..];
            switch (name)
            {
                case "no-new-privileges" when setting is "" or "true" or "false":
                    // Only ever takes privilege away (false is the engine's default).
                    break;
                case "seccomp" when setting is not ("unconfined" or "builtin"):
                    Diagnostics.Error(at, itemPath, $"security_opt '{value}' names a seccomp profile file, which is not supported by Gantry: use seccomp=unconfined (under the privilege policy) or the engine's default profile");
                    continue;
                case "seccomp" or "apparmor" or "label" or "systempaths" or "mask" or "unmask":
                    context.Privilege.Check(at, itemPath, $"security_opt '{value}'", "loosens the container's confinement (system call filter, AppArmor, SELinux labels or masked paths)");
                    break;
                default:
                    Diagnostics.Error(at, itemPath, $"'{value}' is not a security option the engine knows: use no-new-privileges:true, seccomp=..., apparmor=... or label=...");
                    continue;
            }
            result.Add(value);
        }
        return NullIfEmpty(result);
    }

    private List<DeviceSpec>? MapDevices(ComposeNode? node, string path)
    {
        var result = new List<DeviceSpec>();
        if (NodeReader.IsAbsent(node))
        {
            return null;
        }
        if (node is not SequenceNode seq)
        {
            reader.Expected(node!, path, "a list of devices");
            return null;
        }
        for (var i = 0; i < seq.Items.Count; i++)
        {
            var item = seq.Items[i];
            var itemPath = NodeReader.Index(path, i);
            string? source, target, permissions;
            if (item is ScalarNode { IsNull: false } s)
            {
                var parts = s.Value.Split(':');
                source = parts[0];
                target = parts.Length > 1 && parts[1].StartsWith('/') ? parts[1] : source;
                permissions = parts.Length > 2 ? parts[2] : parts.Length == 2 && !parts[1].StartsWith('/') ? parts[1] : "rwm";
            }
            else if (item is MappingNode map)
            {
                SchemaKeys.Device.Check(map, itemPath, Diagnostics);
                source = reader.String(map.Get("source"), NodeReader.Join(itemPath, "source"));
                target = reader.String(map.Get("target"), NodeReader.Join(itemPath, "target")) ?? source;
                permissions = reader.String(map.Get("permissions"), NodeReader.Join(itemPath, "permissions")) ?? "rwm";
            }
            else
            {
                reader.Expected(item, itemPath, "a device such as \"/dev/ttyUSB0:/dev/ttyUSB0\" or a mapping with 'source'");
                continue;
            }
            if (source is null || !source.StartsWith('/') || target is null || !target.StartsWith('/'))
            {
                Diagnostics.Error(item, itemPath, $"device '{source}' is not valid: use an absolute host device path, such as /dev/ttyUSB0 or /dev/dri:/dev/dri");
                continue;
            }
            if (permissions.Length == 0 || permissions.Any(c => c is not ('r' or 'w' or 'm')))
            {
                Diagnostics.Error(item, itemPath, $"device permissions '{permissions}' are not valid: use any of r, w and m, such as rwm");
                continue;
            }
            context.Privilege.Check(item, itemPath, $"device '{source}'", "gives the container direct access to a host device");
            result.Add(new DeviceSpec(source, target) { Permissions = permissions });
        }
        return NullIfEmpty(result);
    }

    /// <summary>pid, ipc and userns_mode: "host" shares a host namespace (privileged); <paramref name="safe"/> values are the container's own.</summary>
    private string? MapNamespace(ComposeNode? node, string path, string key, string[] safe, string shares)
    {
        var value = reader.String(node, path);
        if (value is null || safe.Contains(value))
        {
            return value;
        }
        if (value == "host")
        {
            context.Privilege.Check(node!, path, $"{key} 'host'", $"shares {shares}");
            return value;
        }
        if (value.StartsWith("service:", StringComparison.Ordinal) || value.StartsWith("container:", StringComparison.Ordinal))
        {
            Diagnostics.Error(node!, path, $"{key} '{value}' (sharing another container's namespace) is not supported by Gantry yet: remove it, or use 'host' under the privilege policy");
            return null;
        }
        Diagnostics.Error(node!, path, $"'{value}' is not a valid {key}: use {string.Join(", ", safe.Append("host"))}");
        return null;
    }
}
