namespace Gantry.Store;

/// <summary>What a <see cref="ResourceChange"/> in a watch stream means.</summary>
public enum ResourceChangeType
{
    /// <summary>The resource is new to the watcher (created, or part of the initial listing).</summary>
    Added,

    /// <summary>Spec, status or deletion mark changed.</summary>
    Modified,

    /// <summary>The resource is gone; the change carries its last state.</summary>
    Deleted,

    /// <summary>Marker: everything before it is the complete state as of its resource version.</summary>
    Synced,
}
