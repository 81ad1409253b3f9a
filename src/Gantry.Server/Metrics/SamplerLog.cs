using Microsoft.Extensions.Logging;

namespace Gantry.Server.Metrics;

internal static partial class SamplerLog
{
    [LoggerMessage(EventId = 1601, Level = LogLevel.Warning, Message = "Metrics: the engine answered none of {Count} counter reads ({Reason}); the sampler keeps trying every pass")]
    public static partial void ReadsFailing(ILogger logger, int count, string reason);

    [LoggerMessage(EventId = 1602, Level = LogLevel.Information, Message = "Metrics: counter reads answered again ({Count} replicas)")]
    public static partial void ReadsBack(ILogger logger, int count);

    [LoggerMessage(EventId = 1603, Level = LogLevel.Warning, Message = "Metrics: the watch of apps failed ({Reason}); watching again")]
    public static partial void WatchFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 1604, Level = LogLevel.Error, Message = "Metrics: a sampling pass failed; the next one tries again")]
    public static partial void PassFailed(ILogger logger, Exception exception);
}
