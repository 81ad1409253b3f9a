using Gantry.Compose.XGantry;
using Gantry.Controllers.Apps;
using Gantry.Controllers.Releases;
using Gantry.Model;
using Gantry.Store;

namespace Gantry.Server.Storage;

/// <summary>
/// Brings the specs an earlier Gantry stored up to this one's shape, once, when the server opens its store and before any
/// controller, the route table or a request reads them: x-gantry resolved into <see cref="ServiceSpec.Routing"/>,
/// <see cref="ServiceSpec.Release"/> and <see cref="ServiceSpec.RedeployOnPush"/> (apps, and the releases a rollback
/// restores). Containers are not replaced: none of these fields is part of the spec hash. A store already upgraded is
/// read and not written.
/// </summary>
public static class StoredSpecUpgrade
{
    /// <summary>Upgrades what needs it; returns how many apps and releases were rewritten.</summary>
    public static async Task<int> RunAsync(IResourceStore store, CancellationToken ct)
    {
        var upgraded = 0;
        foreach (var resource in await store.ListAsync(AppKinds.App, ct).ConfigureAwait(false))
        {
            var app = StoredApp.From(resource);
            if (!app.IsBeingDeleted && Upgrade(app.Spec) is { } spec)
            {
                await store.UpsertSpecAsync(AppKinds.App, app.Name, StoredApp.Json(spec), resource.ResourceVersion, ct).ConfigureAwait(false);
                upgraded++;
            }
        }
        foreach (var resource in await store.ListAsync(ReleaseBook.Kind, ct).ConfigureAwait(false))
        {
            var release = StoredRelease.From(resource);
            if (Upgrade(release.Record.Spec) is { } spec)
            {
                await store.UpsertSpecAsync(ReleaseBook.Kind, resource.Name, ReleaseBook.Json(release.Record with { Spec = spec }), resource.ResourceVersion, ct).ConfigureAwait(false);
                upgraded++;
            }
        }
        return upgraded;
    }

    /// <summary>The spec with every service's x-gantry resolved, or null when nothing needs it.</summary>
    public static AppSpec? Upgrade(AppSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (!spec.Services.Any(GantryExtension.NeedsResolving))
        {
            return null;
        }
        // Stored specs were checked when they were deployed: whatever the parser says now, keep what it resolves.
        return spec with { Services = spec.Services.Select(s => GantryExtension.NeedsResolving(s) ? GantryExtension.Resolve(s, []) : s).ToList() };
    }
}
