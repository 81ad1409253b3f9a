using System.Collections.Concurrent;
using Gantry.Router.Contracts.Requests;
using Gantry.Router.Contracts.Routes;
using Microsoft.Extensions.Logging;

namespace Gantry.Router.Control;

/// <summary>
/// Tells the server that a request is waiting for a service at zero replicas (`POST /api/v1/router/wake`): at most once
/// per <see cref="AskInterval"/> per service however many requests wait, in the background, never on the request's path.
/// </summary>
public sealed partial class WakeClient(ServerLink link, TimeProvider time, ILogger logger)
{
    public const string WakePath = "api/v1/router/wake";

    public static readonly TimeSpan AskInterval = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan PostTimeout = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<(string App, string Service), long> _asked = new();

    /// <summary>Asks for the service unless it was asked for within <see cref="AskInterval"/>.</summary>
    public void Ask(WakeSpec wake)
    {
        ArgumentNullException.ThrowIfNull(wake);
        var key = (wake.App, wake.Service);
        var now = time.GetTimestamp();
        if (_asked.TryGetValue(key, out var last) && time.GetElapsedTime(last, now) < AskInterval)
        {
            return;
        }
        _asked[key] = now;
        _ = SendAsync(wake);
    }

    private async Task SendAsync(WakeSpec wake)
    {
        try
        {
            var outcome = await link.PostAsync(link.Resolve(WakePath), new WakeRequest(wake.App, wake.Service),
                RequestReportJsonContext.Default.WakeRequest, PostTimeout, time, CancellationToken.None).ConfigureAwait(false);
            if (!outcome.IsAccepted)
            {
                LogWakeFailed(logger, wake.App, wake.Service, outcome.Failure ?? "");
            }
        }
        catch (ObjectDisposedException)
        {
            // The router is stopping.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "could not ask the server to wake {App}/{Service}: {Error}; held requests wait and ask again")]
    private static partial void LogWakeFailed(ILogger logger, string app, string service, string error);
}
