using System.Net;
using Microsoft.Extensions.Logging;

namespace Gantry.Docker.Transport;

/// <summary>
/// The client's log events (stable ids 4100-4199). Requests and failures log at Debug: callers (the controllers)
/// decide whether a failure matters and log it themselves, so the client must not double every warning.
/// </summary>
internal static partial class DockerLog
{
    [LoggerMessage(EventId = 4101, Level = LogLevel.Information,
        Message = "Docker endpoint {Endpoint}: daemon speaks API {DaemonApiVersion}, using {ApiVersion}")]
    public static partial void ApiVersionNegotiated(ILogger logger, DockerEndpoint endpoint, string daemonApiVersion, string apiVersion);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Debug,
        Message = "{Method} {Path} -> {StatusCode} in {ElapsedMs:0.0} ms")]
    public static partial void RequestCompleted(ILogger logger, string method, string path, HttpStatusCode statusCode, double elapsedMs);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Debug,
        Message = "{Method} {Path} on {Endpoint} failed in transport after {ElapsedMs:0.0} ms")]
    public static partial void RequestFailed(ILogger logger, string method, string path, DockerEndpoint endpoint, double elapsedMs,
        Exception exception);
}
