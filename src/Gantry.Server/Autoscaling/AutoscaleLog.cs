using Microsoft.Extensions.Logging;

namespace Gantry.Server.Autoscaling;

internal static partial class AutoscaleLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "autoscaler: {App}/{Service}: {Decision}")]
    public static partial void Scaled(ILogger logger, string app, string service, string decision);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "autoscaler: {App}/{Service}: the change was not applied: {Reason}")]
    public static partial void NotApplied(ILogger logger, string app, string service, string reason);

    [LoggerMessage(EventId = 3, Level = LogLevel.Error, Message = "autoscaler: a round failed; the next sampler pass tries again")]
    public static partial void RoundFailed(ILogger logger, Exception error);
}
