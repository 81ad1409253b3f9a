using System.Net;
using System.Net.NetworkInformation;

namespace Gantry.Server.Registry;

/// <summary>The names this server's registry answers to in image references ("127.0.0.1:7070/team/app:1").</summary>
public static class OwnRegistry
{
    /// <summary>The "host:port/" prefix an image reference starts with when it names this registry, or null.</summary>
    public static string? PrefixOf(string image, ServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var listens = Urls(options.Listen);
        var names = listens.SelectMany(listen => new[] { listen.Host, "127.0.0.1", "localhost" }.Select(host => $"{host}:{listen.Port}/")).Distinct();
        if (options.RegistryAddress is { } address)
        {
            // The address the cluster's nodes use (docs/decisions/0030).
            names = names.Append(address.TrimEnd('/') + "/");
        }
        return names.FirstOrDefault(prefix => image.StartsWith(prefix, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>
    /// The URLs Kestrel listens on: --listen, and the registry address when its host is one of this machine's own IP addresses
    /// that --listen does not already cover (the lab's bridge address 10.99.0.1 beside 127.0.0.1), so the nodes reach the registry.
    /// </summary>
    public static string ListenUrls(ServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var listens = Urls(options.Listen);
        var listen = listens[0];
        if (options.RegistryAddress is not { } address || !Uri.TryCreate($"{listen.Scheme}://{address}", UriKind.Absolute, out var registry)
            || !IPAddress.TryParse(registry.Host.Trim('[', ']'), out var ip))
        {
            return options.Listen;
        }
        var covered = listens.Any(url => url.Port == registry.Port
            && (url.Host is "0.0.0.0" or "[::]" or "*" or "+" || string.Equals(url.Host, registry.Host, StringComparison.OrdinalIgnoreCase)));
        var local = NetworkInterface.GetAllNetworkInterfaces()
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Any(a => a.Address.Equals(ip));
        return covered || !local ? options.Listen : $"{options.Listen};{listen.Scheme}://{registry.Authority}";
    }

    /// <summary>--listen's URLs: one, or several separated by ';' as Kestrel takes them ("http://127.0.0.1:7071;http://10.99.0.1:7071").</summary>
    private static Uri[] Urls(string listen) =>
        [.. listen.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(url => new Uri(url))];
}
