using Microsoft.Extensions.Logging;

namespace Gantry.Server.Auth;

/// <summary>Failed API authentications (event ids 6001-6099): the address and the request, never the presented token.</summary>
internal static partial class AuthLog
{
    [LoggerMessage(6001, LogLevel.Warning, "API authentication failed from {Address}: wrong token on {Method} {Path}")]
    public static partial void ApiTokenRejected(ILogger logger, string address, string method, string path);

    [LoggerMessage(6002, LogLevel.Warning, "{Address} made {Failures} failed authentications; refusing it with 429 for {Seconds} s")]
    public static partial void AddressLockedOut(ILogger logger, string address, int failures, double seconds);
}
