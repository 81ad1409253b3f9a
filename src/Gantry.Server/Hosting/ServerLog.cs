using Microsoft.Extensions.Logging;

namespace Gantry.Server.Hosting;

internal static partial class ServerLog
{
    [LoggerMessage(1, LogLevel.Information, "Gantry server listening on {Listen}; data in {DataDirectory}; admin token in {TokenPath}")]
    public static partial void Starting(ILogger logger, string listen, string dataDirectory, string tokenPath);

    [LoggerMessage(2, LogLevel.Error, "{Method} {Path} failed; answered with correlation id {CorrelationId}")]
    public static partial void RequestFailed(ILogger logger, string method, string path, string correlationId, Exception? exception);

    [LoggerMessage(3, LogLevel.Information, "Upgraded {Count} stored app and release specs (x-gantry resolved into typed fields; no container is replaced)")]
    public static partial void SpecsUpgraded(ILogger logger, int count);

    [LoggerMessage(4, LogLevel.Information, "Secrets: {Resealed} value(s) re-sealed with the current key of secrets.key")]
    public static partial void SecretsResealed(ILogger logger, int resealed);

    [LoggerMessage(5, LogLevel.Error, "Secrets that the key ring in secrets.key cannot open (restore the key they were sealed with, or set them again): {Names}")]
    public static partial void SecretsUnreadable(ILogger logger, string names);
}
