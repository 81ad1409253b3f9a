using Microsoft.Extensions.Logging;

namespace Gantry.Controllers.Apps;

internal static partial class AppControllerLog
{
    [LoggerMessage(1001, LogLevel.Information, "Reconciling app {App} (generation {Generation})")]
    public static partial void Reconciling(ILogger logger, string app, long generation);

    [LoggerMessage(1002, LogLevel.Warning, "Reconcile of app {App} failed; retrying in {Delay}")]
    public static partial void ReconcileFailed(ILogger logger, Exception exception, string app, TimeSpan delay);

    [LoggerMessage(1003, LogLevel.Warning, "Engine event stream ended; reconnecting in {Delay}")]
    public static partial void EventStreamEnded(ILogger logger, Exception? exception, TimeSpan delay);

    [LoggerMessage(1004, LogLevel.Information, "App {App} removed from the engine and the store")]
    public static partial void AppRemoved(ILogger logger, string app);

    [LoggerMessage(1005, LogLevel.Warning, "Store watch ended; re-listing in {Delay}")]
    public static partial void WatchEnded(ILogger logger, Exception? exception, TimeSpan delay);

    [LoggerMessage(1006, LogLevel.Error, "Removing container {Container} failed unexpectedly; the next pass retries")]
    public static partial void RemovalFailed(ILogger logger, Exception exception, string container);
}
