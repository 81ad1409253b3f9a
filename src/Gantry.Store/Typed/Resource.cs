namespace Gantry.Store.Typed;

/// <summary>A stored resource with its spec and status deserialized; <see cref="Meta"/> keeps the revisions and raw documents.</summary>
public sealed record Resource<TSpec, TStatus>(StoredResource Meta, TSpec Spec, TStatus? Status)
    where TSpec : class
    where TStatus : class
{
    public string Name => Meta.Name;

    public long Generation => Meta.Generation;

    public long ResourceVersion => Meta.ResourceVersion;

    public long ObservedGeneration => Meta.ObservedGeneration;

    public bool IsBeingDeleted => Meta.IsBeingDeleted;
}
