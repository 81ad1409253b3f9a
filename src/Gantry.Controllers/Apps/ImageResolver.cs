using System.Collections.Concurrent;
using Gantry.Controllers.Engine;
using Gantry.Model;
using Gantry.Model.Api;

namespace Gantry.Controllers.Apps;

/// <summary>
/// Resolves each service's image to an engine image id: builds services that have a build section
/// (once per app generation) and pulls images the engine lacks. The id feeds the spec hash, so a
/// rebuilt image with the same tag still replaces its replicas.
/// </summary>
/// <param name="output">Where build lines go while someone watches the app (a waiting `git push`); null reports nowhere.</param>
public sealed class ImageResolver(IEngineDriver engine, IAppEvents events, BuildOutput? output = null)
{
    private readonly ConcurrentDictionary<(string App, long Generation, string Service), string> _built = new();

    /// <summary>
    /// Image ids by service; on a cluster, what each service's Swarm service names instead of the id so that every node pulls the
    /// same bytes (by digest, docs/decisions/0030); failures by service with the reason in words.
    /// </summary>
    public async Task<ResolvedImages> ResolveAsync(AppSpec app, long generation, CancellationToken ct)
    {
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        var references = new Dictionary<string, string>(StringComparer.Ordinal);
        var failures = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var service in app.Services)
        {
            try
            {
                var id = await ResolveOneAsync(app, generation, service, ct).ConfigureAwait(false);
                if (id is null)
                {
                    failures[service.Name] = $"image '{service.Image}' is not on the engine and could not be pulled";
                }
                else
                {
                    // Distributed first: a service whose image cannot reach the nodes has no id, so nothing of it is created.
                    var image = new ImageToDistribute(app.Name, app.TeamName, service.Name, app.Release, id, service.Image, service.PinnedDigest);
                    if (await engine.DistributeImageAsync(image, ct).ConfigureAwait(false) is { } reference)
                    {
                        references[service.Name] = reference;
                    }
                    ids[service.Name] = id;
                }
            }
            catch (EngineException e) when (!e.IsTransient)
            {
                failures[service.Name] = e.Message;
                await events.RecordAsync(app.Name, service.Name, null, EventTypes.Warning, EventReasons.ImageFailed, e.Message, ct).ConfigureAwait(false);
            }
        }
        return new ResolvedImages(ids, references, failures);
    }

    private async Task<string?> ResolveOneAsync(AppSpec app, long generation, ServiceSpec service, CancellationToken ct)
    {
        var tag = service.Image ?? $"{app.Name}-{service.Name}:latest";
        if (service.PinnedImage is { } pinned)
        {
            // A release runs exactly the image it ran: by id, never by tag, and never rebuilt. A pulled image
            // removed from the engine since is pulled again by its tag, and used only if it is still the same.
            if (await engine.GetImageIdAsync(pinned, ct).ConfigureAwait(false) is { } present)
            {
                return present;
            }
            if (service.PinnedDigest is { } digest && await PullAgainAsync(digest, pinned, ct).ConfigureAwait(false) is { } restored)
            {
                // Gone from the manager since (pruned): the bytes the release ran were still in the registry under their digest.
                await events.RecordAsync(app.Name, service.Name, null, EventTypes.Normal, EventReasons.ImagePulled, $"pulled {digest} again ({ShortId(restored)})", ct).ConfigureAwait(false);
                return restored;
            }
            if (service.Build is null && service.Image is not null)
            {
                await engine.PullImageAsync(service.Image, ct).ConfigureAwait(false);
                if (await engine.GetImageIdAsync(pinned, ct).ConfigureAwait(false) is { } again)
                {
                    await events.RecordAsync(app.Name, service.Name, null, EventTypes.Normal, EventReasons.ImagePulled, $"pulled {tag} again ({ShortId(again)})", ct).ConfigureAwait(false);
                    return again;
                }
            }
            throw new EngineException($"image {ShortId(pinned)} (pinned by release {app.Release}, from '{tag}') is no longer on the engine{(service.Build is null ? $" and '{tag}' now names another image" : "")}; deploy again to build or pull it", isTransient: false);
        }
        if (service.Build is { } build)
        {
            if (_built.TryGetValue((app.Name, generation, service.Name), out var cached) && await engine.GetImageIdAsync(cached, ct).ConfigureAwait(false) is not null)
            {
                return cached;
            }
            await events.RecordAsync(app.Name, service.Name, null, EventTypes.Normal, EventReasons.ImageBuilding, $"building {tag} from {Path.GetFileName(build.Context)}", ct).ConfigureAwait(false);
            var id = await engine.BuildImageAsync(app.Name, build, tag, output?.For(app.Name, service.Name), null, ct).ConfigureAwait(false);
            _built[(app.Name, generation, service.Name)] = id;
            await events.RecordAsync(app.Name, service.Name, null, EventTypes.Normal, EventReasons.ImageBuilt, $"built {tag} ({ShortId(id)})", ct).ConfigureAwait(false);
            return id;
        }

        var existing = await engine.GetImageIdAsync(tag, ct).ConfigureAwait(false);
        if (existing is not null)
        {
            return existing;
        }
        await engine.PullImageAsync(tag, ct).ConfigureAwait(false);
        var pulled = await engine.GetImageIdAsync(tag, ct).ConfigureAwait(false);
        if (pulled is not null)
        {
            await events.RecordAsync(app.Name, service.Name, null, EventTypes.Normal, EventReasons.ImagePulled, $"pulled {tag} ({ShortId(pulled)})", ct).ConfigureAwait(false);
        }
        return pulled;
    }

    /// <summary>The pinned id after pulling <paramref name="digest"/>, or null when the registry no longer has it (the tag is tried next).</summary>
    private async Task<string?> PullAgainAsync(string digest, string pinned, CancellationToken ct)
    {
        try
        {
            await engine.PullImageAsync(digest, ct).ConfigureAwait(false);
        }
        catch (EngineException e) when (!e.IsTransient)
        {
            return null;
        }
        return await engine.GetImageIdAsync(pinned, ct).ConfigureAwait(false);
    }

    /// <summary>Forgets built images of an app (after it is removed).</summary>
    public void Forget(string app)
    {
        foreach (var key in _built.Keys.Where(k => k.App == app))
        {
            _built.TryRemove(key, out _);
        }
    }

    private static string ShortId(string id) => id.StartsWith("sha256:", StringComparison.Ordinal) ? id[7..19] : id;
}

/// <summary>What <see cref="ImageResolver.ResolveAsync"/> found, by service name.</summary>
/// <param name="Ids">The engine's image ids: the spec hash and the release record's <c>ImageIds</c>.</param>
/// <param name="References">On a cluster, what the Swarm services name in place of the ids (by digest); empty on one engine.</param>
/// <param name="Failures">The reason in words, for the services that could not be resolved.</param>
public sealed record ResolvedImages(Dictionary<string, string> Ids, Dictionary<string, string> References, Dictionary<string, string> Failures);
