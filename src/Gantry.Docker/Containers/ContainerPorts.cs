using System.Globalization;

namespace Gantry.Docker.Containers;

/// <summary>Helpers that build the Engine API's port maps from plain strings.</summary>
public static class ContainerPorts
{
    /// <summary>Builds <c>ExposedPorts</c> from keys such as <c>80/tcp</c>.</summary>
    public static IReadOnlyDictionary<string, EmptyObject> Expose(params string[] ports) =>
        ports.ToDictionary(port => port, _ => EmptyObject.Instance, StringComparer.Ordinal);

    /// <summary>Builds one <c>PortBindings</c> entry: container port key (<c>80/tcp</c>) to a host port on a host IP.</summary>
    public static KeyValuePair<string, IReadOnlyList<PortBinding>> Bind(string containerPort, int hostPort, string? hostIp = null) =>
        new(containerPort, [new PortBinding { HostIp = hostIp, HostPort = hostPort.ToString(CultureInfo.InvariantCulture) }]);
}
