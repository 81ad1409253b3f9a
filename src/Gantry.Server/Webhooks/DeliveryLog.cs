using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Gantry.Store;

namespace Gantry.Server.Webhooks;

/// <summary>
/// The delivery ids each app has handled (store kind `WebhookDelivery`, named `APP.` and a hash of the id), so a replayed
/// delivery (a forge's "redeliver", or someone who recorded one) is ignored, across restarts too. Recording is the store's
/// create: two deliveries of one id at once cannot both pass. The newest <see cref="Capacity"/> per app are kept.
/// </summary>
public sealed class DeliveryLog(IResourceStore store)
{
    public const string Kind = "WebhookDelivery";

    public const int Capacity = 1000;

    /// <summary>Records the delivery; false when this app has handled it before.</summary>
    public async Task<bool> TryRecordAsync(string app, string deliveryId, CancellationToken ct)
    {
        var name = $"{app}.{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(deliveryId)))[..32]}";
        try
        {
            await store.CreateAsync(Kind, name, JsonSerializer.Serialize(new DeliveryRecord(app, deliveryId), WebhookJsonContext.Default.DeliveryRecord), ct).ConfigureAwait(false);
        }
        catch (ConflictException)
        {
            return false;
        }
        var prefix = app + ".";
        var kept = (await store.ListAsync(Kind, ct).ConfigureAwait(false)).Where(r => r.Name.StartsWith(prefix, StringComparison.Ordinal)).ToList();
        foreach (var old in kept.OrderBy(r => r.ResourceVersion).Take(kept.Count - Capacity))
        {
            await store.DeleteAsync(Kind, old.Name, null, ct).ConfigureAwait(false);
        }
        return true;
    }
}

/// <summary>One handled delivery.</summary>
public sealed record DeliveryRecord(string App, string Id);
