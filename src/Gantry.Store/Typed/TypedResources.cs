using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Gantry.Store.Typed;

/// <summary>
/// Typed access to one kind: serializes specs and statuses with source-generated <see cref="JsonTypeInfo{T}"/>
/// so the store itself stays free of the model's types.
/// </summary>
public sealed class TypedResources<TSpec, TStatus>(
    IResourceStore store,
    string kind,
    JsonTypeInfo<TSpec> specInfo,
    JsonTypeInfo<TStatus> statusInfo)
    where TSpec : class
    where TStatus : class
{
    public string Kind => kind;

    public IResourceStore Store => store;

    public async Task<Resource<TSpec, TStatus>?> GetAsync(string name, CancellationToken ct = default) =>
        await store.GetAsync(kind, name, ct).ConfigureAwait(false) is { } stored ? Bind(stored) : null;

    public async Task<IReadOnlyList<Resource<TSpec, TStatus>>> ListAsync(CancellationToken ct = default)
    {
        var stored = await store.ListAsync(kind, ct).ConfigureAwait(false);
        return stored.Select(Bind).ToList();
    }

    public async Task<Resource<TSpec, TStatus>> CreateAsync(string name, TSpec spec, CancellationToken ct = default) =>
        Bind(await store.CreateAsync(kind, name, JsonSerializer.Serialize(spec, specInfo), ct).ConfigureAwait(false));

    /// <summary>Creates or updates the spec; see <see cref="IResourceStore.UpsertSpecAsync"/> for <paramref name="expectedResourceVersion"/>.</summary>
    public async Task<Resource<TSpec, TStatus>> UpsertAsync(string name, TSpec spec, long? expectedResourceVersion = null, CancellationToken ct = default) =>
        Bind(await store.UpsertSpecAsync(kind, name, JsonSerializer.Serialize(spec, specInfo), expectedResourceVersion, ct).ConfigureAwait(false));

    public async Task<Resource<TSpec, TStatus>> UpdateStatusAsync(string name, TStatus status, long observedGeneration, long? expectedResourceVersion = null, CancellationToken ct = default) =>
        Bind(await store.UpdateStatusAsync(kind, name, JsonSerializer.Serialize(status, statusInfo), observedGeneration, expectedResourceVersion, ct).ConfigureAwait(false));

    public async Task<Resource<TSpec, TStatus>> RequestDeletionAsync(string name, CancellationToken ct = default) =>
        Bind(await store.RequestDeletionAsync(kind, name, ct).ConfigureAwait(false));

    public Task<bool> DeleteAsync(string name, long? expectedResourceVersion = null, CancellationToken ct = default) =>
        store.DeleteAsync(kind, name, expectedResourceVersion, ct);

    /// <summary>The store's watch of this kind (list, Synced, live changes), deserialized.</summary>
    public IAsyncEnumerable<TypedResourceChange<TSpec, TStatus>> WatchAsync(CancellationToken ct) =>
        BindAll(store.WatchAsync(kind, ct), ct);

    /// <summary>Resumes a watch of this kind after <paramref name="afterResourceVersion"/>; see <see cref="IResourceStore.WatchAsync(string?, long, CancellationToken)"/>.</summary>
    public IAsyncEnumerable<TypedResourceChange<TSpec, TStatus>> WatchAsync(long afterResourceVersion, CancellationToken ct) =>
        BindAll(store.WatchAsync(kind, afterResourceVersion, ct), ct);

    private async IAsyncEnumerable<TypedResourceChange<TSpec, TStatus>> BindAll(IAsyncEnumerable<ResourceChange> changes, [EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var change in changes.WithCancellation(ct).ConfigureAwait(false))
        {
            yield return new TypedResourceChange<TSpec, TStatus>(
                change.Type, change.Resource is null ? null : Bind(change.Resource), change.ResourceVersion);
        }
    }

    /// <summary>Deserializes a stored resource of this kind; a document that no longer fits the type names the resource.</summary>
    public Resource<TSpec, TStatus> Bind(StoredResource stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        try
        {
            var spec = JsonSerializer.Deserialize(stored.SpecJson, specInfo)
                ?? throw new InvalidDataException($"The stored spec of {stored.Kind} '{stored.Name}' is JSON null.");
            var status = stored.StatusJson is null ? null : JsonSerializer.Deserialize(stored.StatusJson, statusInfo);
            return new Resource<TSpec, TStatus>(stored, spec, status);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException(
                $"The stored document of {stored.Kind} '{stored.Name}' (resource version {stored.ResourceVersion}) does not fit {typeof(TSpec).Name}/{typeof(TStatus).Name}: {ex.Message}", ex);
        }
    }
}
