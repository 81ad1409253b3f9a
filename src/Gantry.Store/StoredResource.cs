namespace Gantry.Store;

/// <summary>
/// One resource as the store holds it: identity, the two revision counters, and the spec and status
/// documents as JSON (the store never interprets them beyond checking they parse).
/// </summary>
/// <param name="Generation">Starts at 1 and grows by one each time the spec changes (status writes leave it alone).</param>
/// <param name="ResourceVersion">Store-wide revision of the last write to this resource (spec, status or deletion mark).</param>
/// <param name="ObservedGeneration">The generation the controller had reconciled when it last wrote the status.</param>
/// <param name="DeletionRequestedAt">Set when deletion was requested; the controller cleans up, then deletes.</param>
public sealed record StoredResource(
    string Kind,
    string Name,
    string Uid,
    long Generation,
    long ResourceVersion,
    string SpecJson,
    string? StatusJson,
    long ObservedGeneration,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? DeletionRequestedAt)
{
    /// <summary>True once deletion was requested and the resource waits for its controller to finish.</summary>
    public bool IsBeingDeleted => DeletionRequestedAt is not null;
}
