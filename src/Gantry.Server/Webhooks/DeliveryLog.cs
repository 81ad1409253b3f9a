namespace Gantry.Server.Webhooks;

/// <summary>
/// The delivery ids each app has handled, the newest <see cref="Capacity"/> per app, so a replayed delivery (a forge's
/// "redeliver", or someone who recorded one) is ignored. In memory: a restart forgets them (docs/decisions/0026).
/// </summary>
public sealed class DeliveryLog
{
    public const int Capacity = 1000;

    private readonly Dictionary<string, (HashSet<string> Seen, Queue<string> Order)> _apps = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>Records the delivery; false when this app has handled it before.</summary>
    public bool TryRecord(string app, string deliveryId)
    {
        lock (_lock)
        {
            if (!_apps.TryGetValue(app, out var log))
            {
                _apps[app] = log = (new HashSet<string>(StringComparer.Ordinal), new Queue<string>());
            }
            if (!log.Seen.Add(deliveryId))
            {
                return false;
            }
            log.Order.Enqueue(deliveryId);
            if (log.Order.Count > Capacity)
            {
                log.Seen.Remove(log.Order.Dequeue());
            }
            return true;
        }
    }
}
