namespace Gantry.Router.Contracts.Routes;

/// <summary>Checks a route table and reports every error at once (never stopping at the first), each naming the field, the value and the fix.</summary>
/// <remarks>Strict: a table with any error is wrong as a whole (a `--routes` file is refused). What a router serves of a table
/// from the feed is decided by <see cref="RouteTableSanitizer"/>, which leaves out only the offending entries.</remarks>
public static class RouteTableValidator
{
    public static IReadOnlyList<ConfigError> Validate(RouteTableSpec table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var errors = new List<ConfigError>();
        var clusterIds = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < table.Clusters.Count; i++)
        {
            ValidateCluster(table.Clusters[i], $"clusters[{i}]", clusterIds, errors);
        }

        var routeIds = new HashSet<string>(StringComparer.Ordinal);
        var claimed = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < table.Routes.Count; i++)
        {
            ValidateRoute(table.Routes[i], $"routes[{i}]", routeIds, clusterIds, claimed, errors);
        }

        return errors;
    }

    internal static void ValidateRoute(RouteSpec route, string at, HashSet<string> routeIds, HashSet<string> clusterIds,
        Dictionary<string, string> claimed, List<ConfigError> errors)
    {
        if (route is null)
        {
            errors.Add(new(at, "is null; remove the entry or give it an id, hosts and a clusterId"));
            return;
        }

        if (string.IsNullOrWhiteSpace(route.Id))
        {
            errors.Add(new($"{at}.id", "is empty; give every route a unique id"));
        }
        else if (!routeIds.Add(route.Id))
        {
            errors.Add(new($"{at}.id", $"\"{route.Id}\" is used by another route; route ids must be unique"));
        }

        if (route.Entrypoint is not (Entrypoints.External or Entrypoints.Internal))
        {
            errors.Add(new($"{at}.entrypoint", $"\"{route.Entrypoint}\" is not an entrypoint; use \"external\" or \"internal\""));
        }

        if (route.Hosts is null || route.Hosts.Count == 0)
        {
            errors.Add(new($"{at}.hosts", "is empty; list at least one host such as \"app.example.com\", \"*.example.com\" or \"*\""));
        }
        else
        {
            for (var h = 0; h < route.Hosts.Count; h++)
            {
                var host = route.Hosts[h];
                if (!IsValidHostPattern(host))
                {
                    errors.Add(new($"{at}.hosts[{h}]", $"\"{host}\" is not a host pattern; use an exact name (\"app.example.com\"), a wildcard (\"*.example.com\") or \"*\", without scheme, port or path"));
                    continue;
                }

                var key = $"{route.Entrypoint} {host} {route.PathPrefix ?? ""}";
                if (!claimed.TryAdd(key, route.Id ?? ""))
                {
                    errors.Add(new($"{at}.hosts[{h}]", $"\"{host}\" with path prefix \"{route.PathPrefix ?? ""}\" on entrypoint \"{route.Entrypoint}\" is already routed by route \"{claimed[key]}\"; give one of them another host or path prefix"));
                }
            }
        }

        if (route.PathPrefix is { } prefix && (prefix.Length == 0 || prefix[0] != '/' || prefix.Contains('?', StringComparison.Ordinal) || prefix.Contains('#', StringComparison.Ordinal)))
        {
            errors.Add(new($"{at}.pathPrefix", $"\"{prefix}\" must start with \"/\" and hold no query or fragment, such as \"/api\"; omit it to match every path"));
        }

        if (string.IsNullOrWhiteSpace(route.ClusterId))
        {
            errors.Add(new($"{at}.clusterId", "is empty; name one of the clusters in \"clusters\""));
        }
        else if (!clusterIds.Contains(route.ClusterId))
        {
            errors.Add(new($"{at}.clusterId", $"\"{route.ClusterId}\" names no cluster; add a cluster with that id or fix the reference"));
        }
    }

    internal static void ValidateCluster(ClusterSpec cluster, string at, HashSet<string> clusterIds, List<ConfigError> errors)
    {
        if (cluster is null)
        {
            errors.Add(new(at, "is null; remove the entry or give it an id and destinations"));
            return;
        }

        if (string.IsNullOrWhiteSpace(cluster.Id))
        {
            errors.Add(new($"{at}.id", "is empty; give every cluster a unique id"));
        }
        else if (!clusterIds.Add(cluster.Id))
        {
            errors.Add(new($"{at}.id", $"\"{cluster.Id}\" is used by another cluster; cluster ids must be unique"));
        }

        if (cluster.LoadBalancing is not (LoadBalancingPolicies.PowerOfTwoChoices or LoadBalancingPolicies.RoundRobin or LoadBalancingPolicies.Weighted))
        {
            errors.Add(new($"{at}.loadBalancing", $"\"{cluster.LoadBalancing}\" is not a policy; use \"p2c\", \"round-robin\" or \"weighted\""));
        }

        if (cluster.RequestTimeout is { } timeout && timeout <= TimeSpan.Zero)
        {
            errors.Add(new($"{at}.requestTimeout", $"\"{timeout}\" must be positive, such as \"00:01:40\"; omit it for the default"));
        }

        if (cluster.StickyCookie is { } cookie && !IsValidCookieName(cookie))
        {
            errors.Add(new($"{at}.stickyCookie", $"\"{cookie}\" is not a cookie name; use 1-128 letters, digits or !#$%&'*+-.^_`|~ (no spaces, \"=\" or \";\"), such as \"gantry-release\"; omit it to turn the sticky split off"));
        }

        if (cluster.Health is { } health)
        {
            if (string.IsNullOrEmpty(health.Path) || health.Path[0] != '/')
            {
                errors.Add(new($"{at}.health.path", $"\"{health.Path}\" must start with \"/\", such as \"/healthz\""));
            }

            if (health.Interval <= TimeSpan.Zero)
            {
                errors.Add(new($"{at}.health.interval", $"\"{health.Interval}\" must be positive, such as \"00:00:05\""));
            }

            if (health.Timeout <= TimeSpan.Zero)
            {
                errors.Add(new($"{at}.health.timeout", $"\"{health.Timeout}\" must be positive, such as \"00:00:02\""));
            }

            if (health.HealthyThreshold < 1)
            {
                errors.Add(new($"{at}.health.healthyThreshold", $"{health.HealthyThreshold} must be at least 1"));
            }

            if (health.UnhealthyThreshold < 1)
            {
                errors.Add(new($"{at}.health.unhealthyThreshold", $"{health.UnhealthyThreshold} must be at least 1"));
            }
        }

        if (cluster.Wake is { } wake)
        {
            if (wake.App.Length == 0 || wake.Service.Length == 0)
            {
                errors.Add(new($"{at}.wake", "app and service must name the service to wake"));
            }
            if (wake.Timeout <= TimeSpan.Zero || wake.Timeout > TimeSpan.FromMinutes(5))
            {
                errors.Add(new($"{at}.wake.timeout", $"\"{wake.Timeout}\" must be positive and at most 5 minutes"));
            }
        }
        if (cluster.PassiveHealth is { } passive)
        {
            if (passive.ConsecutiveFailures < 1)
            {
                errors.Add(new($"{at}.passiveHealth.consecutiveFailures", $"{passive.ConsecutiveFailures} must be at least 1; set enabled to false to turn passive health off"));
            }

            if (passive.ReactivationPeriod <= TimeSpan.Zero)
            {
                errors.Add(new($"{at}.passiveHealth.reactivationPeriod", $"\"{passive.ReactivationPeriod}\" must be positive, such as \"00:00:10\""));
            }
        }

        var destinationIds = new HashSet<string>(StringComparer.Ordinal);
        var destinations = cluster.Destinations ?? [];
        for (var d = 0; d < destinations.Count; d++)
        {
            var destination = destinations[d];
            var dat = $"{at}.destinations[{d}]";
            if (destination is null)
            {
                errors.Add(new(dat, "is null; remove the entry or give it an id and an address"));
                continue;
            }

            if (string.IsNullOrWhiteSpace(destination.Id))
            {
                errors.Add(new($"{dat}.id", "is empty; give every destination an id unique within its cluster (the replica name)"));
            }
            else if (!destinationIds.Add(destination.Id))
            {
                errors.Add(new($"{dat}.id", $"\"{destination.Id}\" is used by another destination of cluster \"{cluster.Id}\"; destination ids must be unique within a cluster"));
            }

            if (!Uri.TryCreate(destination.Address, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp
                || uri.PathAndQuery != "/" || !string.IsNullOrEmpty(uri.UserInfo))
            {
                errors.Add(new($"{dat}.address", $"\"{destination.Address}\" is not a backend address; use an absolute http URL with host and port and no path, such as \"http://172.17.0.5:8080\""));
            }

            if (destination.Weight < 0)
            {
                errors.Add(new($"{dat}.weight", $"{destination.Weight} must be 0 (drained) or more; the default is 100"));
            }
        }
    }

    /// <summary>A cookie name is an HTTP token (RFC 6265 §4.1.1): visible ASCII without separators; capped at 128 characters.</summary>
    public static bool IsValidCookieName(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > 128)
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '!' or '#' or '$' or '%' or '&' or '\'' or '*' or '+' or '-' or '.' or '^' or '_' or '`' or '|' or '~'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Accepts "*", "*.suffix.tld" and exact DNS names (letters, digits, '-', '.', '_'; no port).</summary>
    public static bool IsValidHostPattern(string? host)
    {
        if (string.IsNullOrEmpty(host))
        {
            return false;
        }

        if (host == "*")
        {
            return true;
        }

        var name = host.StartsWith("*.", StringComparison.Ordinal) ? host[2..] : host;
        if (name.Length == 0 || name.Length > 253 || name[0] == '.' || name[^1] == '.' || name.Contains("..", StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_'))
            {
                return false;
            }
        }

        return true;
    }
}
