using Gantry.Compose.Validation;
using Gantry.Compose.Yaml;
using Gantry.Model;

namespace Gantry.Compose.Mapping;

// The top-level resources: networks (with IPAM), volumes, configs and secrets.
internal sealed partial class AppMapper
{
    private List<NetworkSpec> MapNetworks(ComposeNode? node)
    {
        var result = new List<NetworkSpec>();
        foreach (var (key, body, path) in Entries(node, "networks"))
        {
            if (body is null)
            {
                result.Add(new NetworkSpec(key.Value));
                continue;
            }
            SchemaKeys.Network.Check(body, path, diagnostics);
            var (external, name) = External(body, path);
            result.Add(new NetworkSpec(key.Value)
            {
                EngineName = name,
                External = external,
                Driver = _reader.String(body.Get("driver"), NodeReader.Join(path, "driver")) ?? "bridge",
                DriverOptions = new SortedDictionary<string, string>(StringMap(body.Get("driver_opts"), NodeReader.Join(path, "driver_opts"), "driver_opts"), StringComparer.Ordinal),
                Internal = _reader.Bool(body.Get("internal"), NodeReader.Join(path, "internal")) ?? false,
                Labels = new SortedDictionary<string, string>(StringMap(body.Get("labels"), NodeReader.Join(path, "labels"), "labels"), StringComparer.Ordinal),
                Ipam = MapIpam(body.Get("ipam"), NodeReader.Join(path, "ipam")),
            });
        }
        return result;
    }

    private IpamSpec? MapIpam(ComposeNode? node, string path)
    {
        var map = _reader.Map(node, path);
        if (map is null)
        {
            return null;
        }
        SchemaKeys.Ipam.Check(map, path, diagnostics);
        var pools = new List<IpamPoolSpec>();
        if (map.Get("config") is SequenceNode config)
        {
            for (var i = 0; i < config.Items.Count; i++)
            {
                var itemPath = NodeReader.Index(NodeReader.Join(path, "config"), i);
                if (_reader.Map(config.Items[i], itemPath) is not { } pool)
                {
                    continue;
                }
                SchemaKeys.IpamPool.Check(pool, itemPath, diagnostics);
                var subnet = Cidr(pool.Get("subnet"), NodeReader.Join(itemPath, "subnet"));
                if (subnet is null)
                {
                    if (pool.Get("subnet") is null)
                    {
                        diagnostics.Error(pool, itemPath, "an ipam config entry needs 'subnet', such as 172.28.0.0/16");
                    }
                    continue;
                }
                pools.Add(new IpamPoolSpec(subnet)
                {
                    IpRange = Cidr(pool.Get("ip_range"), NodeReader.Join(itemPath, "ip_range")),
                    Gateway = Address(pool.Get("gateway"), NodeReader.Join(itemPath, "gateway")),
                });
            }
        }
        else if (!NodeReader.IsAbsent(map.Get("config")))
        {
            _reader.Expected(map.Get("config")!, NodeReader.Join(path, "config"), "a list of {subnet, ip_range, gateway}");
        }
        return new IpamSpec
        {
            Driver = _reader.String(map.Get("driver"), NodeReader.Join(path, "driver")),
            Config = pools,
            Options = new SortedDictionary<string, string>(StringMap(map.Get("options"), NodeReader.Join(path, "options"), "options"), StringComparer.Ordinal),
        };

        string? Cidr(ComposeNode? at, string p)
        {
            var text = _reader.String(at, p);
            if (text is not null && !System.Net.IPNetwork.TryParse(text, out _))
            {
                diagnostics.Error(at!, p, $"'{text}' is not a subnet in CIDR form: use an address and prefix length such as 172.28.0.0/16");
                return null;
            }
            return text;
        }

        string? Address(ComposeNode? at, string p)
        {
            var text = _reader.String(at, p);
            if (text is not null && !System.Net.IPAddress.TryParse(text, out _))
            {
                diagnostics.Error(at!, p, $"'{text}' is not an IP address: use an address inside the subnet, such as 172.28.0.1");
                return null;
            }
            return text;
        }
    }

    private List<VolumeSpec> MapVolumes(ComposeNode? node)
    {
        var result = new List<VolumeSpec>();
        foreach (var (key, body, path) in Entries(node, "volumes"))
        {
            if (body is null)
            {
                result.Add(new VolumeSpec(key.Value));
                continue;
            }
            SchemaKeys.TopVolume.Check(body, path, diagnostics);
            var (external, name) = External(body, path);
            var driver = _reader.String(body.Get("driver"), NodeReader.Join(path, "driver")) ?? "local";
            var driverOptions = StringMap(body.Get("driver_opts"), NodeReader.Join(path, "driver_opts"), "driver_opts");
            CheckLocalDevice(driver, driverOptions, body, path);
            result.Add(new VolumeSpec(key.Value)
            {
                EngineName = name,
                External = external,
                Driver = driver,
                DriverOptions = new SortedDictionary<string, string>(driverOptions, StringComparer.Ordinal),
                Labels = new SortedDictionary<string, string>(StringMap(body.Get("labels"), NodeReader.Join(path, "labels"), "labels"), StringComparer.Ordinal),
            });
        }
        return result;
    }

    // The local driver mounts `device` on the host (`o: bind` binds a directory, a type such as ext4 mounts a disk):
    // a named volume is then a host path by another name, under the same policy as a bind.
    private void CheckLocalDevice(string driver, Dictionary<string, string> options, MappingNode body, string path)
    {
        if (driver != "local" || !options.TryGetValue("device", out var device) || !(device.StartsWith('/') || device.StartsWith('.')))
        {
            return;
        }
        var at = (body.Get("driver_opts") as MappingNode)?.Get("device") ?? body.Get("driver_opts") ?? body;
        hostPaths.Check(Path.GetFullPath(Path.Combine(at.Mark.BaseDir, device)), device, at, NodeReader.Join(path, "driver_opts.device"), "volume device");
    }

    private List<FileObjectSpec> MapFileObjects(ComposeNode? node, string section, KeyTable table)
    {
        var result = new List<FileObjectSpec>();
        var kind = section.TrimEnd('s');
        foreach (var (key, body, path) in Entries(node, section))
        {
            if (body is null)
            {
                diagnostics.Error(key, path, $"{kind} '{key.Value}' needs one of 'file', 'environment'{(kind == "config" ? ", 'content'" : "")} or 'external'");
                continue;
            }
            table.Check(body, path, diagnostics);
            var (external, engineName) = External(body, path);
            if (engineName is not null)
            {
                // FileObjectSpec has no engine-name field yet; say so rather than drop it silently.
                diagnostics.Warning(body.GetKey("name") ?? (ComposeNode)body, NodeReader.Join(path, "name"), $"the engine-side name of a {kind} is not kept yet; Gantry uses '{key.Value}'");
            }
            var file = _reader.String(body.Get("file"), NodeReader.Join(path, "file"));
            var filePath = file is null ? null : Path.GetFullPath(Path.Combine(body.Get("file")!.Mark.BaseDir, file));
            if (filePath is not null)
            {
                hostPaths.Check(filePath, file!, body.Get("file")!, NodeReader.Join(path, "file"), $"{kind} file");
            }
            var spec = new FileObjectSpec(key.Value)
            {
                File = filePath,
                EnvironmentVariable = _reader.String(body.Get("environment"), NodeReader.Join(path, "environment")),
                Content = kind == "config" ? _reader.String(body.Get("content"), NodeReader.Join(path, "content")) : null,
                External = external,
            };
            if (spec.EnvironmentVariable is not null)
            {
                // Looked up only to count it as referenced: the client must send this variable for the secret's value.
                lookup(spec.EnvironmentVariable);
            }
            var sources = new[] { spec.File is not null, spec.EnvironmentVariable is not null, spec.Content is not null, spec.External }.Count(b => b);
            if (sources != 1)
            {
                diagnostics.Error(key, path, $"{kind} '{key.Value}' needs exactly one of 'file', 'environment'{(kind == "config" ? ", 'content'" : "")} or 'external'");
                continue;
            }
            result.Add(spec);
        }
        return result;
    }
}
