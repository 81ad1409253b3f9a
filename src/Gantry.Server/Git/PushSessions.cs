using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Gantry.Server.Identity;

namespace Gantry.Server.Git;

/// <summary>
/// The pushes in progress, by the one-time credential their hook calls back with. In memory only: a credential lives as
/// long as its receive-pack request, and a restarted server knows none (the push it interrupted fails).
/// </summary>
public sealed class PushSessions
{
    private const string Prefix = "gtp_";

    private readonly ConcurrentDictionary<string, PushSession> _sessions = new(StringComparer.Ordinal);

    public PushSession Begin(Principal principal, string app, string repository)
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var session = new PushSession(this, id, SHA256.HashData(Encoding.ASCII.GetBytes(secret)), principal, app, repository)
        {
            Token = $"{Prefix}{id}_{secret}",
        };
        _sessions[id] = session;
        return session;
    }

    /// <summary>The session a hook's credential names, once; null for an unknown, ended or already used credential.</summary>
    public PushSession? Claim(string? token)
    {
        if (token is null || !token.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }
        var parts = token[Prefix.Length..].Split('_');
        if (parts.Length != 2 || !_sessions.TryGetValue(parts[0], out var session))
        {
            return null;
        }
        var hash = SHA256.HashData(Encoding.ASCII.GetBytes(parts[1]));
        return CryptographicOperations.FixedTimeEquals(hash, session.SecretHash) && session.TryClaim() ? session : null;
    }

    internal void End(string id) => _sessions.TryRemove(id, out _);

    /// <summary>Pushes in progress.</summary>
    public int Count => _sessions.Count;
}
