using Gantry.Controllers.Apps;
using Gantry.Store;

namespace Gantry.Server.Events;

/// <summary>Records controller events in the store, where `gantry events` and deploy progress read them.</summary>
public sealed class StoreAppEvents(IResourceStore store) : IAppEvents
{
    public Task RecordAsync(string app, string? service, string? replica, string type, string reason, string message, CancellationToken ct) =>
        store.AppendEventAsync(new NewEvent(AppKinds.App, app, type, reason, message, app, service, replica), ct);
}
