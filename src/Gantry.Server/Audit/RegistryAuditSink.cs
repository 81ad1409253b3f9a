using Gantry.Registry;
using Gantry.Store;

namespace Gantry.Server.Audit;

/// <summary>
/// Registry pushes and deletes are changes too: each goes to the audit log with the user who made it and the repository's
/// team (its first path segment). The address is not in the registry's event, so it reads "registry".
/// </summary>
public sealed class RegistryAuditSink(IAuditLog audit) : IRegistryEventSink
{
    public async ValueTask OnEventAsync(RegistryEvent e, CancellationToken ct)
    {
        var slash = e.Repository.IndexOf('/', StringComparison.Ordinal);
        var reference = e.Tag is null ? e.Digest : $"{e.Tag} ({e.Digest})";
        await audit.AppendAuditAsync(new NewAuditRecord(
            e.Actor ?? "anonymous",
            "registry",
            e.Action == RegistryEventAction.Push ? "registry push" : "registry delete",
            $"image {e.Repository}:{reference}",
            slash > 0 ? e.Repository[..slash] : null,
            e.Action == RegistryEventAction.Push ? 201 : 202,
            "Accepted"), ct).ConfigureAwait(false);
    }
}
