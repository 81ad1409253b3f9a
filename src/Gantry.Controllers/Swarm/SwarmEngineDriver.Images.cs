using static Gantry.Controllers.Docker.EngineCalls;
using System.Collections.Concurrent;
using Gantry.Controllers.Engine;
using Gantry.Docker;

namespace Gantry.Controllers.Swarm;

/// <summary>
/// Images across nodes (docs/decisions/0030): what a release's Swarm service names so that every node runs the same bytes.
/// An image only the manager has (built by Gantry, loaded by hand) is tagged into Gantry's own registry and pushed there by the
/// manager's engine with Gantry's own credentials; the service names it by digest and carries the credentials
/// (<c>X-Registry-Auth</c>) so every node can pull it. An image from a registry keeps its reference, pinned by the digest the
/// manager resolved.
/// </summary>
public sealed partial class SwarmEngineDriver
{
    /// <summary>The answers so far, by what was asked: a reconcile pass inspects and pushes nothing twice.</summary>
    private readonly ConcurrentDictionary<ImageToDistribute, string> _distributed = new();

    public async Task<string?> DistributeImageAsync(ImageToDistribute image, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (!await IsClusterAsync(ct).ConfigureAwait(false))
        {
            return null;
        }
        if (image.Pinned is { } pinned && ImageReferences.IsByDigest(pinned))
        {
            // A rollback runs exactly the bytes its release ran, whatever tags point at now.
            return pinned;
        }
        if (_distributed.TryGetValue(image, out var known))
        {
            return known;
        }
        var inspected = await Call(() => docker.Images.TryInspectAsync(image.ImageId, ct), $"inspect image {image.ImageId}").ConfigureAwait(false);
        if (image.Reference is { } reference && !ImageReferences.IsLoopbackRegistry(reference)
            && ImageReferences.PinnedByDigest(reference, inspected?.RepoDigests) is { } fromRegistry)
        {
            _distributed[image] = fromRegistry;
            return fromRegistry;
        }
        if (registry is not { Address: { } address })
        {
            // No registry the nodes reach (no --registry-address): the id, as before; the deploy refuses build: on a cluster then.
            return null;
        }
        var repository = ImageReferences.Repository(address, image.Team, image.App, image.Service);
        var tag = ImageReferences.Tag(image.Release, image.ImageId);
        var what = $"{image.Reference ?? "built image"} ({Short(image.ImageId)})";
        try
        {
            await docker.Images.TagAsync(image.ImageId, repository, tag, ct).ConfigureAwait(false);
            var digest = await docker.Images.PushAsync(repository, tag, registry.Credentials(repository), null, ct).ConfigureAwait(false);
            if (digest is null)
            {
                // An engine that does not report it: the push left the digest in the image's RepoDigests.
                var after = await docker.Images.InspectAsync(image.ImageId, ct).ConfigureAwait(false);
                digest = (after.RepoDigests ?? []).Where(d => d.StartsWith(repository + "@", StringComparison.Ordinal)).Select(d => d[(repository.Length + 1)..]).FirstOrDefault();
            }
            if (digest is null)
            {
                throw new EngineException($"pushed image {what} of service {image.Service} to {repository}:{tag}, but the engine named no digest for it", isTransient: false);
            }
            var byDigest = ImageReferences.ByDigest(repository, digest);
            _distributed[image] = byDigest;
            return byDigest;
        }
        catch (Exception e) when (e is DockerApiException or DockerTransportException)
        {
            // Never the credentials: only what the engine said about the push.
            var said = e is DockerApiException api ? api.DaemonMessage : $"the engine is unreachable ({e.Message})";
            throw new EngineException($"could not push image {what} of service {image.Service} to Gantry's registry as {repository}:{tag} "
                + $"(the nodes pull it from there): {said}; every engine of the cluster must reach and trust the registry address {address} (--registry-address)",
                isTransient: e is DockerTransportException, e);
        }
    }

    /// <summary>Gantry's registry credentials for a digest reference in it (service create, so every node can pull), or null.</summary>
    private string? RegistryAuthFor(string image) =>
        registry is not null && ImageReferences.IsByDigest(image) ? registry.Credentials(image)?.ToHeaderValue() : null;

    private static string Short(string id) => id.StartsWith("sha256:", StringComparison.Ordinal) ? id[7..Math.Min(id.Length, 19)] : id;
}
