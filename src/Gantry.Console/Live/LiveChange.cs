namespace Gantry.Console.Live;

/// <summary>
/// A notice that what a live page shows has changed: the page fetches itself again and swaps its live regions. It carries
/// no data (the page is rendered by the server under the user's own rules, so a notice can leak nothing); its
/// <paramref name="Version"/> is the feed's count of changes, sent as the event's id so a reconnecting page learns whether it
/// missed one.
/// </summary>
public sealed record LiveChange(string Topic, long Version);
