using System.Net;
using System.Text;

namespace Gantry.Router.Upstream;

/// <summary>The kept-alive connections to one destination address: an idle stack (newest on top, so the oldest idle out) and the
/// address parsed once.</summary>
public sealed class UpstreamEndpoint
{
    private readonly Stack<UpstreamConnection> _idle = new();
    private int _open;

    internal UpstreamEndpoint(string baseAddress)
    {
        BaseAddress = baseAddress;
        var uri = new Uri(baseAddress);
        Authority = uri.IsDefaultPort ? uri.IdnHost : uri.IdnHost + ":" + uri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        AuthorityBytes = Encoding.ASCII.GetBytes(Authority);
        EndPoint = IPAddress.TryParse(uri.IdnHost.Trim('[', ']'), out var ip) ? new IPEndPoint(ip, uri.Port) : new DnsEndPoint(uri.IdnHost, uri.Port);
    }

    public string BaseAddress { get; }

    /// <summary>host:port as a Host field names it (health probes send it; proxied requests keep the client's Host).</summary>
    public string Authority { get; }

    internal byte[] AuthorityBytes { get; }

    public EndPoint EndPoint { get; }

    /// <summary>Connections open to this address, idle or busy.</summary>
    public int Open => Volatile.Read(ref _open);

    /// <summary>Set by the pool's sweep when the endpoint was dropped from the pool; a holder must look it up again.</summary>
    internal bool Retired { get; set; }

    internal long LastUsedTs { get; set; }

    internal void Opened() => Interlocked.Increment(ref _open);

    internal void Closed() => Interlocked.Decrement(ref _open);

    internal bool TryPop(out UpstreamConnection connection)
    {
        lock (_idle)
        {
            return _idle.TryPop(out connection!);
        }
    }

    internal void Push(UpstreamConnection connection)
    {
        lock (_idle)
        {
            _idle.Push(connection);
        }
    }

    /// <summary>Takes out the idle connections <paramref name="expired"/> says are done (idle or alive too long, or closed by the peer).</summary>
    internal void Sweep(Func<UpstreamConnection, bool> expired, List<UpstreamConnection> removed)
    {
        lock (_idle)
        {
            if (_idle.Count == 0)
            {
                return;
            }

            var keep = new List<UpstreamConnection>(_idle.Count);
            while (_idle.TryPop(out var connection))
            {
                if (expired(connection))
                {
                    removed.Add(connection);
                }
                else
                {
                    keep.Add(connection);
                }
            }

            for (var i = keep.Count - 1; i >= 0; i--)
            {
                _idle.Push(keep[i]);
            }
        }
    }
}
