using Microsoft.Extensions.Logging;

namespace Gantry.Server.Hosting;

internal static partial class ServerLog
{
    [LoggerMessage(1, LogLevel.Information, "Gantry server listening on {Listen}; data in {DataDirectory}; admin token in {TokenPath}")]
    public static partial void Starting(ILogger logger, string listen, string dataDirectory, string tokenPath);
}
