using System.Text.Json;
using Gantry.Controllers.Apps;
using Gantry.Controllers.Engine;
using Gantry.Model;
using Gantry.Model.Api;
using Gantry.Model.Releases;
using Gantry.Registry;
using Gantry.Store;

namespace Gantry.Server.Registry;

/// <summary>
/// Redeploys services that opt in (`x-gantry: {redeploy-on-push: true}`) when their image's tag is pushed
/// to the built-in registry: it pulls the new image, whose id changes the replicas' spec hash, so the app
/// controller's next pass rolls them (within one resync interval).
/// </summary>
public sealed class RedeployOnPush(IResourceStore store, IEngineDriver engine, ServerOptions options, Releases.ReleaseService releases) : IRegistryEventSink
{
    public async ValueTask OnEventAsync(RegistryEvent e, CancellationToken ct)
    {
        if (e.Action != RegistryEventAction.Push || e.Tag is null)
        {
            return;
        }
        foreach (var resource in await store.ListAsync(AppKinds.App, ct).ConfigureAwait(false))
        {
            if (resource.DeletionRequestedAt is not null)
            {
                continue;
            }
            var app = StoredApp.From(resource).Spec;
            var pins = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var service in app.Services.Where(s => s.Image is not null && s.RedeployOnPush && Names(s.Image!, e)))
            {
                string message;
                var type = "Normal";
                try
                {
                    await engine.PullImageAsync(service.Image!, ct).ConfigureAwait(false);
                    if (await engine.GetImageIdAsync(service.Image!, ct).ConfigureAwait(false) is { } id && id != service.PinnedImage)
                    {
                        pins[service.Name] = id;
                    }
                    message = $"{e.Repository}:{e.Tag} was pushed ({e.Digest[..Math.Min(19, e.Digest.Length)]}); pulled it, {service.Name} rolls to it";
                }
                catch (EngineException failure)
                {
                    type = "Warning";
                    message = $"{e.Repository}:{e.Tag} was pushed but could not be pulled: {failure.Message}";
                }
                await store.AppendEventAsync(new NewEvent(AppKinds.App, app.Name, type, EventReasons.ImagePulled, message, app.Name, service.Name), ct).ConfigureAwait(false);
            }
            if (pins.Count > 0)
            {
                // The push is a new release: the services run the pushed image by id, and a rollback can return to the one before.
                var pushed = app with { Services = app.Services.Select(s => pins.TryGetValue(s.Name, out var id) ? s with { PinnedImage = id } : s).ToList() };
                await OptimisticRetry.RunAsync(() => releases.CommitAsync(pushed, ReleaseCauses.Push, "registry", message: $"{e.Repository}:{e.Tag} pushed", ct: ct)).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Whether the image reference names this registry's repository and tag, under any of the server's host names.</summary>
    private bool Names(string image, RegistryEvent e) =>
        OwnRegistry.PrefixOf(image, options) is { } prefix && image[prefix.Length..] == $"{e.Repository}:{e.Tag}";
}
