namespace Gantry.Server.Registry;

/// <summary>The names this server's registry answers to in image references ("127.0.0.1:7070/team/app:1").</summary>
public static class OwnRegistry
{
    /// <summary>The "host:port/" prefix an image reference starts with when it names this registry, or null.</summary>
    public static string? PrefixOf(string image, ServerOptions options)
    {
        var listen = new Uri(options.Listen);
        foreach (var host in new[] { listen.Host, "127.0.0.1", "localhost" })
        {
            var prefix = $"{host}:{listen.Port}/";
            if (image.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return prefix;
            }
        }
        return null;
    }
}
