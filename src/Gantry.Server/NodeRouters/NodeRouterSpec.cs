using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Gantry.Docker.Containers;
using Gantry.Model;

namespace Gantry.Server.NodeRouters;

/// <summary>
/// The router container Gantry wants on one node (docs/decisions/0029): the router image, following the server at its
/// advertised URL with the routers' token, its HTTP listener published on the node's port. Its name and router id are
/// deterministic (one per installation and node), so a second create fails instead of duplicating it, and a recreated
/// router takes over its predecessor's place in the fleet the releases wait on.
/// </summary>
public sealed record NodeRouterSpec(string Node, string Image, Uri ServerUrl, int Port, string Owner)
{
    /// <summary>The label that says what a Gantry container is for; node routers carry <see cref="Role"/>.</summary>
    public const string RoleLabel = "gantry.role";

    public const string Role = "node-router";

    /// <summary>The router's listener inside the container.</summary>
    public const int ContainerPort = 80;

    /// <summary>The id this router reports under: one per node, whatever container runs it.</summary>
    public string RouterId => "node-router-" + Node;

    /// <summary>One container name per installation on an engine.</summary>
    public static string ContainerName(string owner) => "gantry-router-" + new string([.. owner.Where(char.IsAsciiLetterOrDigit).Take(12)]);

    /// <summary>What decides whether a running router is still the wanted one (the token is left out: it never changes).</summary>
    public string Hash => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
        string.Create(CultureInfo.InvariantCulture, $"{Image}\n{ServerUrl}\n{Port}\n{RouterId}"))))[..16];

    /// <summary>The labels that find Gantry's node routers on an engine (and only this installation's).</summary>
    public static IReadOnlyList<(string Key, string Value)> Selector(string owner) =>
        [(GantryLabels.Owner, owner), (RoleLabel, Role)];

    public ContainerCreateParameters ToCreateParameters(string routerToken) => new()
    {
        Name = ContainerName(Owner),
        Hostname = RouterId,
        Image = Image,
        Cmd = ["--from", ServerUrl.ToString(), "--id", RouterId, "--http", string.Create(CultureInfo.InvariantCulture, $"0.0.0.0:{ContainerPort}")],
        // The token reaches the router as its environment: only whoever holds the node's engine API can read it, and that
        // one could run anything there already (docs/security.md).
        Env = ["GANTRY_TOKEN=" + routerToken],
        Labels = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [GantryLabels.Managed] = "true",
            [GantryLabels.Owner] = Owner,
            [RoleLabel] = Role,
            [GantryLabels.SpecHash] = Hash,
        },
        ExposedPorts = ContainerPorts.Expose(string.Create(CultureInfo.InvariantCulture, $"{ContainerPort}/tcp")),
        HostConfig = new HostConfig
        {
            PortBindings = new Dictionary<string, IReadOnlyList<PortBinding>>([ContainerPorts.Bind(
                string.Create(CultureInfo.InvariantCulture, $"{ContainerPort}/tcp"), Port)]),
            // The engine brings it back after a reboot; a router that dies otherwise is recreated by the reconciler.
            RestartPolicy = new RestartPolicy { Name = "unless-stopped" },
            // The access log goes to stdout: bounded by the engine's rotation.
            LogConfig = new LogConfig { Type = "json-file", Config = new Dictionary<string, string> { ["max-size"] = "10m", ["max-file"] = "2" } },
        },
    };
}
