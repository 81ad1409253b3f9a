using Gantry.Server.Identity;

namespace Gantry.Server.Git;

/// <summary>
/// One receive-pack request while git http-backend runs it: who pushes to which app, and the one-time credential its
/// pre-receive hook presents to call back. Ends (and the credential with it) when the request does.
/// </summary>
public sealed class PushSession(PushSessions owner, string id, byte[] secretHash, Principal principal, string app, string repository) : IDisposable
{
    private int _claimed;

    public string Id { get; } = id;

    internal byte[] SecretHash { get; } = secretHash;

    public Principal Principal { get; } = principal;

    public string App { get; } = app;

    /// <summary>The bare repository's directory.</summary>
    public string Repository { get; } = repository;

    /// <summary>The credential the hook gets through its environment (never on disk, never logged): `gtp_ID_SECRET`.</summary>
    public string Token { get; init; } = "";

    /// <summary>What came of the push, in words, for the audit log (set by the hook's call; null when it never called).</summary>
    public string? Outcome { get; set; }

    /// <summary>The credential works once: a second call with it (a replay) is refused.</summary>
    internal bool TryClaim() => Interlocked.Exchange(ref _claimed, 1) == 0;

    public void Dispose() => owner.End(Id);
}
