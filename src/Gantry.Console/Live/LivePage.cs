namespace Gantry.Console.Live;

/// <summary>
/// What a live page's status line tells live.js: the stream of notices to follow and, for a page whose forms answer a POST
/// in place, the address that renders it by GET (fetching the POST's address again would run no handler).
/// </summary>
public sealed record LivePage(string Stream, string? Page = null);
