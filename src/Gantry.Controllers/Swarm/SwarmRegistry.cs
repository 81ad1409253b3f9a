using Gantry.Docker.Images;

namespace Gantry.Controllers.Swarm;

/// <summary>
/// Gantry's own registry as a cluster's nodes reach it (docs/decisions/0030): <paramref name="Address"/> is the host[:port] in the
/// references services name (`--registry-address`; null: none, so images only the manager has cannot be distributed), and
/// <paramref name="Credentials"/> gives the engine the server's own credentials for a reference in it (never logged).
/// </summary>
public sealed record SwarmRegistry(string? Address, Func<string, RegistryAuth?> Credentials);
