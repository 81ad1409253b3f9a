using System.Net;
using System.Net.Sockets;

namespace Gantry.Bench.DeployUnderLoad;

/// <summary>Free loopback ports and readiness polls.</summary>
public static class Net
{
    public static int FreePort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    /// <summary>Polls <paramref name="url"/> (with an optional Host header) until <paramref name="accept"/> likes the body of a 2xx answer.</summary>
    public static async Task<bool> WaitForAsync(Uri url, string? host, Func<string, bool> accept, TimeSpan limit, Func<bool>? giveUp, CancellationToken ct)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (watch.Elapsed < limit)
        {
            ct.ThrowIfCancellationRequested();
            if (giveUp?.Invoke() == true)
            {
                return false;
            }
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, url);
                if (host is not null)
                {
                    request.Headers.Host = host;
                }
                using var response = await client.SendAsync(request, ct).ConfigureAwait(false);
                if (response.IsSuccessStatusCode && accept(await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false)))
                {
                    return true;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
            {
                // Not up yet.
            }
            await Task.Delay(200, ct).ConfigureAwait(false);
        }
        return false;
    }
}
