using Gantry.Model;

namespace Gantry.Controllers.Swarm;

/// <summary>
/// What a compose app may use on a cluster in this slice of issue 11 (and 13: `build:` once the nodes reach Gantry's registry), checked before anything is stored so that nothing is
/// silently dropped: each key that the Swarm mapping does not carry yet is named with its service and value. Pure.
/// </summary>
public static class SwarmSupport
{
    /// <summary>One line per key a cluster cannot run yet (empty when the app can be deployed onto the Swarm).</summary>
    /// <param name="registry">True when the nodes reach Gantry's registry (`--registry-address`): a build on the manager is then
    /// pushed there and pulled by digest on every node (docs/decisions/0030).</param>
    public static IReadOnlyList<string> Unsupported(AppSpec app, bool registry = false)
    {
        ArgumentNullException.ThrowIfNull(app);
        var problems = new List<string>();
        foreach (var service in app.Services)
        {
            var at = $"services.{service.Name}";
            if (service.Build is not null && !registry)
            {
                // Built on the manager's engine only: without a registry address the other nodes cannot pull it.
                problems.Add($"{at}.build: an image built on the manager reaches the other nodes through Gantry's registry, and the server has no --registry-address the nodes reach (start it with --registry-address HOST:PORT)");
            }
            foreach (var port in service.Ports)
            {
                problems.Add($"{at}.ports: '{port.Published ?? "(any)"}:{port.Target}' is not published on a cluster yet (no routing mesh here); route it by host name with x-gantry instead");
            }
            foreach (var mount in service.Volumes.Where(m => m.Type == MountType.Bind))
            {
                problems.Add($"{at}.volumes: the bind mount '{mount.Source}:{mount.Target}' names a path on one machine; use a named volume");
            }
            if (service.Secrets.Count > 0 || service.Configs.Count > 0)
            {
                problems.Add($"{at}: secrets and configs are files on the server's machine and are not carried to the other nodes yet");
            }
            if (service.NetworkMode is { } mode)
            {
                problems.Add($"{at}.network_mode: '{mode}' has no Swarm equivalent; use networks");
            }
        }
        return problems;
    }
}
