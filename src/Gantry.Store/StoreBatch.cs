namespace Gantry.Store;

/// <summary>
/// Writes that commit together or not at all (one transaction, one fsync): a release and the app pointed at it,
/// the release it replaces marked, and the events that say so. Each write keeps its single-call rules (optimistic
/// concurrency, no-op when nothing changes); the first refusal aborts the whole batch and nothing is written.
/// </summary>
public sealed class StoreBatch
{
    private readonly List<ResourceWrite> _writes = [];
    private readonly List<NewEvent> _events = [];

    public IReadOnlyList<ResourceWrite> Writes => _writes;

    public IReadOnlyList<NewEvent> Events => _events;

    /// <summary>As <see cref="IResourceStore.CreateAsync"/>.</summary>
    public StoreBatch Create(string kind, string name, string specJson) =>
        Add(new ResourceWrite(ResourceWriteKind.Create, kind, name, specJson, 0, null));

    /// <summary>As <see cref="IResourceStore.UpsertSpecAsync"/>.</summary>
    public StoreBatch UpsertSpec(string kind, string name, string specJson, long? expectedResourceVersion) =>
        Add(new ResourceWrite(ResourceWriteKind.UpsertSpec, kind, name, specJson, 0, expectedResourceVersion));

    /// <summary>As <see cref="IResourceStore.UpdateStatusAsync"/>.</summary>
    public StoreBatch UpdateStatus(string kind, string name, string statusJson, long observedGeneration, long? expectedResourceVersion = null) =>
        Add(new ResourceWrite(ResourceWriteKind.UpdateStatus, kind, name, statusJson, observedGeneration, expectedResourceVersion));

    /// <summary>As <see cref="IResourceStore.DeleteAsync"/>: removes the resource if it exists (its last state is in the result; nothing when it did not exist).</summary>
    public StoreBatch Delete(string kind, string name, long? expectedResourceVersion = null)
    {
        JsonDocuments.ValidateName(kind, name);
        _writes.Add(new ResourceWrite(ResourceWriteKind.Delete, kind, name, "", 0, expectedResourceVersion));
        return this;
    }

    /// <summary>As <see cref="IResourceStore.AppendEventAsync"/>; events are appended after the resource writes.</summary>
    public StoreBatch AppendEvent(NewEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        JsonDocuments.ValidateName(e.Kind, e.Name);
        _events.Add(e);
        return this;
    }

    private StoreBatch Add(ResourceWrite write)
    {
        JsonDocuments.ValidateName(write.Kind, write.Name);
        JsonDocuments.Validate(write.Json, write.Kind, write.Name, write.Operation == ResourceWriteKind.UpdateStatus ? "status" : "spec");
        _writes.Add(write);
        return this;
    }
}

/// <summary>One resource write of a <see cref="StoreBatch"/>: the JSON is the spec, or the status for <see cref="ResourceWriteKind.UpdateStatus"/>.</summary>
public sealed record ResourceWrite(ResourceWriteKind Operation, string Kind, string Name, string Json, long ObservedGeneration, long? ExpectedResourceVersion);

public enum ResourceWriteKind
{
    Create,
    UpsertSpec,
    UpdateStatus,
    Delete,
}

/// <summary>
/// What a committed batch wrote: each resource as stored after its write, in the batch's order (a deleted one as it was last,
/// null when it did not exist), and the events.
/// </summary>
public sealed record StoreBatchResult(IReadOnlyList<StoredResource?> Resources, IReadOnlyList<EventRecord> Events);
