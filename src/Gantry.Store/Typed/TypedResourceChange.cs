namespace Gantry.Store.Typed;

/// <summary>A <see cref="ResourceChange"/> with the resource deserialized (null only for Synced).</summary>
public sealed record TypedResourceChange<TSpec, TStatus>(ResourceChangeType Type, Resource<TSpec, TStatus>? Resource, long ResourceVersion)
    where TSpec : class
    where TStatus : class;
