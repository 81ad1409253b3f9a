using System.Globalization;
using Gantry.Compose.Validation;
using Gantry.Compose.Yaml;
using Gantry.Model;

namespace Gantry.Compose.Mapping;

// Ports and expose: the short syntax "[ip:][published[-range]:]target[-range][/protocol]" and the long syntax.
internal sealed partial class ServiceMapper
{
    private List<PortSpec> MapPorts(ComposeNode? node, string path)
    {
        var result = new List<PortSpec>();
        if (NodeReader.IsAbsent(node))
        {
            return result;
        }
        if (node is not SequenceNode seq)
        {
            reader.Expected(node!, path, "a list of ports");
            return result;
        }
        for (var i = 0; i < seq.Items.Count; i++)
        {
            var item = seq.Items[i];
            var itemPath = NodeReader.Index(path, i);
            if (item is ScalarNode { IsNull: false } s)
            {
                result.AddRange(ParseShortPort(s.Value, s, itemPath));
            }
            else if (item is MappingNode map)
            {
                var port = ParseLongPort(map, itemPath);
                if (port is not null)
                {
                    result.Add(port);
                }
            }
            else
            {
                reader.Expected(item, itemPath, "a port such as \"8080:80\" or a mapping with 'target'");
            }
        }
        return result;
    }

    private List<PortSpec> ParseShortPort(string text, ComposeNode node, string path)
    {
        var spec = text.Trim();
        var protocol = "tcp";
        var slash = spec.LastIndexOf('/');
        if (slash >= 0)
        {
            protocol = spec[(slash + 1)..];
            spec = spec[..slash];
            if (!CheckProtocol(protocol, node, path))
            {
                return [];
            }
        }
        string? hostIp = null;
        if (spec.StartsWith('['))
        {
            var close = spec.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || close + 1 >= spec.Length || spec[close + 1] != ':')
            {
                Diagnostics.Error(node, path, $"'{text}' is not a valid port: write an IPv6 host address as \"[::1]:8080:80\"");
                return [];
            }
            hostIp = spec[1..close];
            spec = spec[(close + 2)..];
        }
        var parts = spec.Split(':');
        string? published = null;
        string target;
        switch (parts.Length)
        {
            case 1:
                target = parts[0];
                break;
            case 2 when hostIp is null:
                (published, target) = (parts[0], parts[1]);
                break;
            case 2:
                (published, target) = (parts[0], parts[1]);
                break;
            case 3 when hostIp is null:
                (hostIp, published, target) = (parts[0], parts[1], parts[2]);
                break;
            default:
                Diagnostics.Error(node, path, $"'{text}' is not a valid port: use \"[host_ip:][published:]target[/protocol]\", e.g. \"127.0.0.1:8080:80/tcp\"");
                return [];
        }
        if (published is { Length: 0 })
        {
            published = null;
        }
        if (!TryRange(target, node, path, out var targetStart, out var targetEnd))
        {
            return [];
        }
        int publishedStart = 0, publishedEnd = 0;
        if (published is not null && !TryRange(published, node, path, out publishedStart, out publishedEnd))
        {
            return [];
        }
        if (hostIp is { Length: 0 })
        {
            hostIp = null;
        }
        var result = new List<PortSpec>();
        if (targetStart == targetEnd)
        {
            result.Add(new PortSpec(targetStart, published, protocol, hostIp));
            return result;
        }
        var count = targetEnd - targetStart + 1;
        if (published is not null && publishedEnd - publishedStart + 1 != count)
        {
            Diagnostics.Error(node, path, $"'{text}' maps a range of {count} container ports to {publishedEnd - publishedStart + 1} host port(s): give ranges of the same length");
            return [];
        }
        for (var k = 0; k < count; k++)
        {
            var hostPort = published is null ? null : (publishedStart + k).ToString(CultureInfo.InvariantCulture);
            result.Add(new PortSpec(targetStart + k, hostPort, protocol, hostIp));
        }
        return result;
    }

    private PortSpec? ParseLongPort(MappingNode map, string path)
    {
        SchemaKeys.Port.Check(map, path, Diagnostics);
        var targetNode = map.Get("target");
        if (NodeReader.IsAbsent(targetNode))
        {
            Diagnostics.Error(map, path, "port needs 'target': the container port");
            return null;
        }
        var targetText = reader.String(targetNode, NodeReader.Join(path, "target"));
        if (targetText is null || !TryPort(targetText, targetNode!, NodeReader.Join(path, "target"), out var target))
        {
            return null;
        }
        var published = reader.String(map.Get("published"), NodeReader.Join(path, "published"));
        if (published is { Length: 0 })
        {
            published = null;
        }
        if (published is not null && !TryRange(published, map.Get("published")!, NodeReader.Join(path, "published"), out _, out _))
        {
            return null;
        }
        var protocol = reader.String(map.Get("protocol"), NodeReader.Join(path, "protocol")) ?? "tcp";
        if (!CheckProtocol(protocol, map.Get("protocol") ?? map, NodeReader.Join(path, "protocol")))
        {
            return null;
        }
        var mode = reader.String(map.Get("mode"), NodeReader.Join(path, "mode")) ?? "ingress";
        if (mode is not ("ingress" or "host"))
        {
            Diagnostics.Error(map.Get("mode")!, NodeReader.Join(path, "mode"), $"'{mode}' is not a valid port mode: use 'ingress' or 'host'");
        }
        return new PortSpec(target, published, protocol, reader.String(map.Get("host_ip"), NodeReader.Join(path, "host_ip"))) { Mode = mode };
    }

    private bool CheckProtocol(string protocol, ComposeNode node, string path)
    {
        if (protocol is "tcp" or "udp")
        {
            return true;
        }
        Diagnostics.Error(node, path, protocol == "sctp"
            ? "protocol 'sctp' is not supported by Gantry: use tcp or udp"
            : $"'{protocol}' is not a valid protocol: use tcp or udp");
        return false;
    }

    private bool TryRange(string text, ComposeNode node, string path, out int start, out int end)
    {
        start = end = 0;
        var dash = text.IndexOf('-', StringComparison.Ordinal);
        if (dash < 0)
        {
            var ok = TryPort(text, node, path, out start);
            end = start;
            return ok;
        }
        if (!TryPort(text[..dash], node, path, out start) || !TryPort(text[(dash + 1)..], node, path, out end))
        {
            return false;
        }
        if (end < start)
        {
            Diagnostics.Error(node, path, $"'{text}' is not a valid port range: the first port must not be greater than the last");
            return false;
        }
        return true;
    }

    private bool TryPort(string text, ComposeNode node, string path, out int port)
    {
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is >= 1 and <= 65535)
        {
            return true;
        }
        Diagnostics.Error(node, path, $"'{text}' is not a valid port (1-65535)");
        return false;
    }

    private List<string> MapExpose(ComposeNode? node, string path)
    {
        var result = new List<string>();
        if (NodeReader.IsAbsent(node))
        {
            return result;
        }
        foreach (var (value, itemNode, itemPath) in reader.Strings(node, path) ?? [])
        {
            var port = value;
            var slash = value.IndexOf('/', StringComparison.Ordinal);
            if (slash >= 0)
            {
                if (!CheckProtocol(value[(slash + 1)..], itemNode, itemPath))
                {
                    continue;
                }
                port = value[..slash];
            }
            if (TryRange(port, itemNode, itemPath, out _, out _))
            {
                result.Add(value);
            }
        }
        return result;
    }
}
