using Microsoft.Extensions.Logging;

namespace Gantry.Registry.Auth;

/// <summary>Failed registry authentications (event ids 5401-5499): user name and address, never the presented password.</summary>
internal static partial class AuthLog
{
    [LoggerMessage(EventId = 5401, Level = LogLevel.Warning, Message = "Registry authentication failed for user {User} from {Address} ({Where})")]
    public static partial void Rejected(ILogger logger, string user, string address, string where);

    [LoggerMessage(EventId = 5402, Level = LogLevel.Warning, Message = "Too many failed registry authentications (user {User} from {Address}); refusing with 429 for {Seconds} s")]
    public static partial void LockedOut(ILogger logger, string user, string address, double seconds);

    /// <summary>A user name as it may appear in a log line: attacker-chosen, so no control characters and at most 64 characters.</summary>
    public static string Printable(string user)
    {
        var text = new string([.. user.Take(64).Select(c => char.IsControl(c) ? '?' : c)]);
        return user.Length > 64 ? text + "..." : text;
    }
}
