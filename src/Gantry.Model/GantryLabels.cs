namespace Gantry.Model;

/// <summary>The labels Gantry puts on every engine object it creates, so ownership is recoverable from the engine alone.</summary>
public static class GantryLabels
{
    /// <summary>Present ("true") on everything Gantry created; list filters start here.</summary>
    public const string Managed = "gantry.managed";

    public const string App = "gantry.app";

    public const string Service = "gantry.service";

    /// <summary>Release number the replica belongs to.</summary>
    public const string Release = "gantry.release";

    /// <summary>Hash of the <see cref="ServiceSpec"/> (minus replica count) the container was created from.</summary>
    public const string SpecHash = "gantry.spec-hash";

    /// <summary>Replica slot, 1-based: deterministic names make a second create of the same replica fail instead of duplicating it.</summary>
    public const string Slot = "gantry.slot";

    /// <summary>
    /// The installation that created the object: each Gantry control plane (its data directory)
    /// manages only what carries its own id, so two installations on one engine never fight.
    /// </summary>
    public const string Owner = "gantry.owner";

    /// <summary>Set on networks and volumes: the compose key they were declared under.</summary>
    public const string Resource = "gantry.resource";
}
