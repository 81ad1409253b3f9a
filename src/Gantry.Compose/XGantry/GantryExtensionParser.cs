using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Gantry.Model;
using Gantry.Model.Routing;

namespace Gantry.Compose.XGantry;

/// <summary>
/// Reads a service's `x-gantry` extension. Two shapes: the short one for a single route
/// (`x-gantry: {host: shop.example.com, port: 8080}`) and the full one
/// (`x-gantry: {routes: [{host, path, port, entrypoint}], health: {path, interval, timeout}, load-balancing}`).
/// Every problem is reported with its path and what to write instead.
/// </summary>
public static partial class GantryExtensionParser
{
    private static readonly HashSet<string> RouteKeys = ["host", "hosts", "path", "port", "entrypoint", "https-redirect"];
    private static readonly HashSet<string> TopKeys = ["routes", "health", "load-balancing", "redeploy-on-push", TestStageParser.Key, AutoscaleParser.Key, AlertRulesParser.Key, .. RouteKeys, .. ReleasePolicyParser.Keys];

    public static GantryRouting? Parse(ServiceSpec service, List<string> errors)
    {
        if (!service.Extensions.TryGetValue("x-gantry", out var json))
        {
            return null;
        }
        var at = $"services.{service.Name}.x-gantry";
        JsonElement root;
        try
        {
            root = JsonDocument.Parse(json).RootElement;
        }
        catch (JsonException e)
        {
            errors.Add($"{at}: not readable ({e.Message})");
            return null;
        }
        if (root.ValueKind != JsonValueKind.Object)
        {
            errors.Add($"{at}: expected a mapping such as {{host: app.example.com, port: 8080}}");
            return null;
        }
        foreach (var property in root.EnumerateObject().Where(p => !TopKeys.Contains(p.Name)))
        {
            errors.Add($"{at}.{property.Name}: unknown key; x-gantry takes {string.Join(", ", TopKeys.Order(StringComparer.Ordinal))}");
        }

        var routes = new List<GantryRoute>();
        if (root.TryGetProperty("routes", out var list))
        {
            if (list.ValueKind != JsonValueKind.Array)
            {
                errors.Add($"{at}.routes: expected a list of routes");
            }
            else
            {
                var i = 0;
                foreach (var item in list.EnumerateArray())
                {
                    if (ParseRoute(item, service, $"{at}.routes[{i++}]", errors) is { } route)
                    {
                        routes.Add(route);
                    }
                }
            }
        }
        if (root.TryGetProperty("host", out _) || root.TryGetProperty("hosts", out _))
        {
            if (ParseRoute(root, service, at, errors) is { } route)
            {
                routes.Add(route);
            }
        }

        GantryHealth? health = null;
        if (root.TryGetProperty("health", out var h))
        {
            health = ParseHealth(h, $"{at}.health", errors);
        }
        var balancing = root.TryGetProperty("load-balancing", out var lb) && lb.ValueKind == JsonValueKind.String ? lb.GetString()! : "p2c";
        if (balancing is not ("p2c" or "round-robin" or "weighted"))
        {
            errors.Add($"{at}.load-balancing: '{balancing}' is not a policy; use p2c, round-robin or weighted");
        }
        return new GantryRouting(routes, health, balancing);
    }

    private static GantryRoute? ParseRoute(JsonElement route, ServiceSpec service, string at, List<string> errors)
    {
        if (route.ValueKind != JsonValueKind.Object)
        {
            errors.Add($"{at}: expected a mapping with host and port");
            return null;
        }
        if (!ReferenceEquals(at, null) && at.Contains(".routes[", StringComparison.Ordinal))
        {
            foreach (var property in route.EnumerateObject().Where(p => !RouteKeys.Contains(p.Name)))
            {
                errors.Add($"{at}.{property.Name}: unknown key; a route takes {string.Join(", ", RouteKeys.Order(StringComparer.Ordinal))}");
            }
        }
        var hosts = new List<string>();
        if (route.TryGetProperty("host", out var host) && host.ValueKind == JsonValueKind.String)
        {
            hosts.Add(host.GetString()!);
        }
        if (route.TryGetProperty("hosts", out var many) && many.ValueKind == JsonValueKind.Array)
        {
            hosts.AddRange(many.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!));
        }
        if (hosts.Count == 0)
        {
            errors.Add($"{at}: a route needs host (or hosts), e.g. host: {service.Name}.example.com");
        }
        foreach (var name in hosts.Where(n => !IsValidHost(NormalizeHost(n))))
        {
            errors.Add($"{at}.host: '{name}' is not a host name: use letters, digits and '-' in dot-separated labels of at most 63 characters " +
                "(253 in all), optionally starting with '*.', without scheme, port or path, e.g. shop.example.com");
        }
        // One spelling per host, the router's: "Shop.Example.COM." and "shop.example.com" are the same route and the same owner.
        hosts = hosts.Select(NormalizeHost).Distinct(StringComparer.Ordinal).ToList();

        int port;
        if (route.TryGetProperty("port", out var p))
        {
            if (!(p.ValueKind == JsonValueKind.Number && p.TryGetInt32(out port) || p.ValueKind == JsonValueKind.String && int.TryParse(p.GetString(), CultureInfo.InvariantCulture, out port)) || port is < 1 or > 65535)
            {
                errors.Add($"{at}.port: expected the container port the service listens on (1-65535)");
                return null;
            }
        }
        else if (DefaultPort(service) is { } single)
        {
            port = single;
        }
        else
        {
            errors.Add($"{at}.port: missing; say which container port the service listens on (its ports/expose do not name exactly one)");
            return null;
        }

        var path = route.TryGetProperty("path", out var pp) && pp.ValueKind == JsonValueKind.String ? pp.GetString() : null;
        if (path is not null && !path.StartsWith('/'))
        {
            errors.Add($"{at}.path: '{path}' must start with '/'");
        }
        var entrypoint = route.TryGetProperty("entrypoint", out var ep) && ep.ValueKind == JsonValueKind.String ? ep.GetString()! : "external";
        if (entrypoint is not ("external" or "internal"))
        {
            errors.Add($"{at}.entrypoint: '{entrypoint}' is not an entrypoint; use external or internal");
        }
        var redirect = route.TryGetProperty("https-redirect", out var r) && r.ValueKind == JsonValueKind.True;
        return hosts.Count == 0 ? null : new GantryRoute(hosts, path is "/" ? null : path, port, entrypoint, redirect);
    }

    private static GantryHealth? ParseHealth(JsonElement health, string at, List<string> errors)
    {
        if (health.ValueKind != JsonValueKind.Object)
        {
            errors.Add($"{at}: expected a mapping such as {{path: /health, interval: 5s}}");
            return null;
        }
        var path = health.TryGetProperty("path", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString()! : "/";
        if (!path.StartsWith('/'))
        {
            errors.Add($"{at}.path: '{path}' must start with '/'");
        }
        return new GantryHealth(path, Duration(health, "interval", TimeSpan.FromSeconds(5), at, errors), Duration(health, "timeout", TimeSpan.FromSeconds(2), at, errors));
    }

    internal static TimeSpan Duration(JsonElement parent, string key, TimeSpan fallback, string at, List<string> errors)
    {
        if (!parent.TryGetProperty(key, out var value))
        {
            return fallback;
        }
        var text = value.ValueKind switch
        {
            JsonValueKind.Number => value.GetRawText() + "s",
            JsonValueKind.String => value.GetString() ?? "",
            _ => value.GetRawText(),
        };
        var match = DurationPattern().Match(text);
        if (!match.Success)
        {
            errors.Add($"{at}.{key}: '{text}' is not a duration; write e.g. 5s, 500ms or 1m");
            return fallback;
        }
        var total = TimeSpan.Zero;
        foreach (Capture part in match.Groups["part"].Captures)
        {
            var unit = UnitPattern().Match(part.Value);
            var number = double.Parse(unit.Groups[1].Value, CultureInfo.InvariantCulture);
            total += unit.Groups[2].Value switch
            {
                "ms" => TimeSpan.FromMilliseconds(number),
                "s" => TimeSpan.FromSeconds(number),
                "m" => TimeSpan.FromMinutes(number),
                _ => TimeSpan.FromHours(number),
            };
        }
        return total;
    }

    /// <summary>The canonical spelling of a host name: lower case, without the trailing dot of a fully qualified name.</summary>
    public static string NormalizeHost(string host)
    {
        var name = host.Trim().ToLowerInvariant();
        return name.Length > 1 && name[^1] == '.' ? name[..^1] : name;
    }

    /// <summary>A DNS name (RFC 1123 labels of 1-63 characters, 253 in all), optionally a "*." wildcard.</summary>
    private static bool IsValidHost(string host) =>
        host.Length <= 253 && HostPattern().IsMatch(host) && host.Split('.').All(label => label.Length <= 63);

    /// <summary>The container port when the service names exactly one (ports or expose).</summary>
    private static int? DefaultPort(ServiceSpec service)
    {
        var ports = service.Ports.Select(p => p.Target)
            .Concat(service.Expose.Select(e => int.TryParse(e.Split('/')[0], CultureInfo.InvariantCulture, out var n) ? n : 0).Where(n => n > 0))
            .Distinct().ToList();
        return ports.Count == 1 ? ports[0] : null;
    }

    [GeneratedRegex(@"^(\*\.)?[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?(\.[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?)*$")]
    private static partial Regex HostPattern();

    [GeneratedRegex(@"^(?<part>\d+(\.\d+)?(ms|s|m|h))+$")]
    private static partial Regex DurationPattern();

    [GeneratedRegex(@"^(\d+(?:\.\d+)?)(ms|s|m|h)$")]
    private static partial Regex UnitPattern();
}
