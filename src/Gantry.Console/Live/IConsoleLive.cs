using Microsoft.AspNetCore.Http;

namespace Gantry.Console.Live;

/// <summary>
/// The feeds live pages follow, implemented by the server on the change feeds it already keeps (the store's watch of apps, the
/// manager's node events, the registry's events and collector, the audit log's appends): nothing is polled and nothing runs
/// while no page is open. Who may follow what is the pages' own rule, checked when the stream opens.
/// </summary>
public interface IConsoleLive
{
    /// <summary>The feed's count of changes now: a page renders it so its stream can tell whether it missed one before it opened.</summary>
    long Version(LiveTopic topic);

    /// <summary>
    /// A notice per change the user's page would show (bursts coalesced), starting with one at once when the feed moved past
    /// <paramref name="since"/>; null when the user may not follow it (another team's repository, the audit log below admin).
    /// </summary>
    IAsyncEnumerable<LiveChange>? Follow(HttpContext context, LiveTopic topic, string? subject, long? since, CancellationToken ct);
}
