using Microsoft.AspNetCore.Connections;

namespace Gantry.Router.Front;

/// <summary>The front's keep-alive and request-head timeouts, which Kestrel applies to its own HTTP connections only.</summary>
/// <remarks>One timer for all connections, ticking once a second and only while the front holds a connection (at rest it does
/// not run): a connection idle between requests past the keep-alive timeout (<see cref="Hosting.RouterOptions.KeepAliveTimeout"/>, as Kestrel is set), or sending a head for
/// longer than <see cref="RequestHead"/> (30 s, Kestrel's default), is closed. Per request a deadline is written, no timer
/// is armed.</remarks>
public sealed class FrontTimeouts(TimeProvider time, TimeSpan keepAlive) : IDisposable
{
    public static readonly TimeSpan RequestHead = TimeSpan.FromSeconds(30);

    private readonly TimeProvider _time = time;
    private readonly Lock _lock = new();
    private readonly HashSet<ConnectionWatch> _watches = [];
    private readonly long _keepAliveTicks = (long)(keepAlive.TotalSeconds * time.TimestampFrequency);
    private readonly long _headTicks = (long)(RequestHead.TotalSeconds * time.TimestampFrequency);
    private ITimer? _timer;

    /// <summary>Watches a connection of Kestrel's transport: at its deadline its pending read is canceled.</summary>
    public ConnectionWatch Watch(ConnectionContext connection) => Watch(connection.Transport.Input.CancelPendingRead);

    /// <summary>Watches a connection; <paramref name="expire"/> ends it gracefully at its deadline (from the timer's thread).</summary>
    public ConnectionWatch Watch(Action expire)
    {
        var watch = new ConnectionWatch(this, expire);
        watch.Idle();
        lock (_lock)
        {
            _watches.Add(watch);
            _timer ??= _time.CreateTimer(_ => Sweep(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        }

        return watch;
    }

    public void Forget(ConnectionWatch watch)
    {
        lock (_lock)
        {
            _watches.Remove(watch);
            if (_watches.Count == 0)
            {
                _timer?.Dispose();
                _timer = null;
            }
        }
    }

    private void Sweep()
    {
        var now = _time.GetTimestamp();
        List<ConnectionWatch>? expired = null;
        lock (_lock)
        {
            foreach (var watch in _watches)
            {
                if (watch.Deadline != 0 && now > watch.Deadline)
                {
                    (expired ??= []).Add(watch);
                }
            }
        }

        foreach (var watch in expired ?? [])
        {
            // The front's read ends and the connection closes gracefully (Kestrel's idle connections end the same way).
            watch.Expire();
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _timer?.Dispose();
            _timer = null;
        }
    }

    /// <summary>One connection's deadline: keep-alive while idle, the head timeout once a head has begun, none while a request runs.</summary>
    public sealed class ConnectionWatch(FrontTimeouts owner, Action expire)
    {
        private long _deadline;
        private bool _readingHead;

        internal void Expire() => expire();

        /// <summary>Not inside a request: waiting for the next one, or for the rest of its head.</summary>
        public bool IsIdle => Deadline != 0;

        public long Deadline => Volatile.Read(ref _deadline);

        public void Idle()
        {
            _readingHead = false;
            Volatile.Write(ref _deadline, owner._time.GetTimestamp() + owner._keepAliveTicks);
        }

        public void ReadingHead()
        {
            if (!_readingHead)
            {
                _readingHead = true;
                Volatile.Write(ref _deadline, owner._time.GetTimestamp() + owner._headTicks);
            }
        }

        public void Busy() => Volatile.Write(ref _deadline, 0);
    }
}
