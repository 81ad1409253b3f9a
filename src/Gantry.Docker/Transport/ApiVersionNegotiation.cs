using System.Globalization;

namespace Gantry.Docker.Transport;

/// <summary>Picks the API version to speak: the lower of the daemon's and ours.</summary>
internal static class ApiVersionNegotiation
{
    public static string Choose(string? serverVersion, string clientMax)
    {
        if (string.IsNullOrWhiteSpace(serverVersion) || !Version.TryParse(serverVersion, out var server))
        {
            // Daemons older than 1.12 do not report ApiVersion; the oldest version we still speak is 1.41-compatible.
            return clientMax;
        }

        var client = Version.Parse(clientMax);
        var chosen = server < client ? server : client;
        return chosen.ToString(2).ToString(CultureInfo.InvariantCulture);
    }
}
