using System.Text.Json;
using Gantry.Model;
using Gantry.Model.Status;
using Gantry.Store;

namespace Gantry.Controllers.Apps;

/// <summary>An app as stored: its desired state, its status (null until the controller first wrote one) and the store's bookkeeping.</summary>
public sealed record StoredApp(AppSpec Spec, AppStatus? Status, StoredResource Resource)
{
    public string Name => Resource.Name;

    /// <summary>Being removed (`gantry rm`): no longer an app for deploys, routes or capacity.</summary>
    public bool IsBeingDeleted => Resource.DeletionRequestedAt is not null;

    public static StoredApp From(StoredResource resource) => new(
        JsonSerializer.Deserialize(resource.SpecJson, ModelJsonContext.Default.AppSpec)
            ?? throw new InvalidOperationException($"app '{resource.Name}' has an empty spec in the store"),
        resource.StatusJson is null ? null : JsonSerializer.Deserialize(resource.StatusJson, ModelJsonContext.Default.AppStatus),
        resource);

    public static string Json(AppSpec spec) => JsonSerializer.Serialize(spec, ModelJsonContext.Default.AppSpec);

    public static string Json(AppStatus status) => JsonSerializer.Serialize(status, ModelJsonContext.Default.AppStatus);
}

/// <summary>Typed reads of the app kind: the one place app documents are turned into the model's types.</summary>
public static class AppStoreExtensions
{
    public static async Task<StoredApp?> GetAppAsync(this IResourceStore store, string name, CancellationToken ct = default) =>
        await store.GetAsync(AppKinds.App, name, ct).ConfigureAwait(false) is { } resource ? StoredApp.From(resource) : null;

    /// <summary>Every app not being removed, except <paramref name="except"/>, oldest first (the order in which apps own their routes).</summary>
    public static async Task<List<StoredApp>> ListOtherAppsAsync(this IResourceStore store, string? except, CancellationToken ct = default) =>
        (await store.ListAsync(AppKinds.App, ct).ConfigureAwait(false))
            .Where(r => r.Name != except && r.DeletionRequestedAt is null)
            .OrderBy(r => r.CreatedAt).ThenBy(r => r.Name, StringComparer.Ordinal)
            .Select(StoredApp.From)
            .ToList();
}
