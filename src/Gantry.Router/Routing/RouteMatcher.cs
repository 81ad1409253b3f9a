namespace Gantry.Router.Routing;

/// <summary>Finds the route for a host and path on one entrypoint: exact host, then the longest wildcard suffix, then "*"; within a host the longest path prefix.</summary>
/// <remarks>Built once per table. Lookups use span-keyed alternate dictionary lookups, so matching allocates nothing;
/// each host's candidates are sorted by prefix length (longest first) and usually number one or two.</remarks>
public sealed class RouteMatcher
{
    private readonly Dictionary<string, RouteEntry[]> _exact;
    private readonly Dictionary<string, RouteEntry[]>.AlternateLookup<ReadOnlySpan<char>> _exactLookup;
    // Keyed by the suffix including its leading dot: "*.example.com" is stored as ".example.com".
    private readonly Dictionary<string, RouteEntry[]> _wildcard;
    private readonly Dictionary<string, RouteEntry[]>.AlternateLookup<ReadOnlySpan<char>> _wildcardLookup;
    private readonly RouteEntry[] _anyHost;

    public RouteMatcher(IEnumerable<RouteEntry> routes)
    {
        var exact = new Dictionary<string, List<RouteEntry>>(StringComparer.OrdinalIgnoreCase);
        var wildcard = new Dictionary<string, List<RouteEntry>>(StringComparer.OrdinalIgnoreCase);
        var any = new List<RouteEntry>();
        foreach (var route in routes)
        {
            foreach (var host in route.Spec.Hosts)
            {
                if (host == "*")
                {
                    any.Add(route);
                }
                else if (host.StartsWith("*.", StringComparison.Ordinal))
                {
                    Add(wildcard, host[1..], route);
                }
                else
                {
                    Add(exact, host, route);
                }
            }
        }

        _exact = Freeze(exact);
        _wildcard = Freeze(wildcard);
        _anyHost = Sort(any);
        _exactLookup = _exact.GetAlternateLookup<ReadOnlySpan<char>>();
        _wildcardLookup = _wildcard.GetAlternateLookup<ReadOnlySpan<char>>();
        Count = exact.Count + wildcard.Count + any.Count;
    }

    /// <summary>Number of host keys (for diagnostics).</summary>
    public int Count { get; }

    public RouteEntry? Match(ReadOnlySpan<char> host, ReadOnlySpan<char> path)
    {
        // A trailing dot (fully qualified name) names the same host.
        if (host.Length > 1 && host[^1] == '.')
        {
            host = host[..^1];
        }

        if (_exactLookup.TryGetValue(host, out var candidates) && FirstByPath(candidates, path) is { } exactHit)
        {
            return exactHit;
        }

        if (_wildcard.Count != 0)
        {
            // Longest suffix first: for a.b.example.com try ".b.example.com", then ".example.com", then ".com".
            for (var dot = host.IndexOf('.'); dot >= 0 && dot < host.Length - 1;)
            {
                if (_wildcardLookup.TryGetValue(host[dot..], out candidates) && FirstByPath(candidates, path) is { } wildHit)
                {
                    return wildHit;
                }

                var next = host[(dot + 1)..].IndexOf('.');
                dot = next < 0 ? -1 : dot + 1 + next;
            }
        }

        return FirstByPath(_anyHost, path);
    }

    private static RouteEntry? FirstByPath(RouteEntry[] candidates, ReadOnlySpan<char> path)
    {
        foreach (var candidate in candidates)
        {
            if (candidate.MatchesPath(path))
            {
                return candidate;
            }
        }

        return null;
    }

    private static void Add(Dictionary<string, List<RouteEntry>> map, string key, RouteEntry route)
    {
        if (!map.TryGetValue(key, out var list))
        {
            map[key] = list = [];
        }

        list.Add(route);
    }

    private static Dictionary<string, RouteEntry[]> Freeze(Dictionary<string, List<RouteEntry>> map)
    {
        var frozen = new Dictionary<string, RouteEntry[]>(map.Count, StringComparer.OrdinalIgnoreCase);
        foreach (var (key, list) in map)
        {
            frozen[key] = Sort(list);
        }

        return frozen;
    }

    private static RouteEntry[] Sort(List<RouteEntry> list) =>
        [.. list.OrderByDescending(r => r.Prefix.Length).ThenBy(r => r.Id, StringComparer.Ordinal)];
}
