namespace Gantry.LoadGen;

/// <summary>What a load run sends, how many requests it keeps in flight, and what it reads from each answer.</summary>
public sealed record LoadOptions
{
    /// <summary>Absolute http:// URL every request goes to, e.g. http://127.0.0.1:8080/.</summary>
    public required Uri Url { get; init; }

    /// <summary>Host header to send instead of the URL's authority (how a router picks the route); null keeps the URL's.</summary>
    public string? Host { get; init; }

    /// <summary>Requests in flight at every instant (closed loop: each worker sends its next request when the last one ends).</summary>
    public int Concurrency { get; init; } = 16;

    /// <summary>Regex with one capture group, applied to every response body; the group's value is the record's marker.</summary>
    public string? MarkerPattern { get; init; }

    /// <summary>Longest a request may take, connect to last body byte, before it counts as a timeout failure.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Pause of one worker after a failed request, so a refused connection does not spin a core at
    /// 100% and bury the figures in millions of identical failures. Zero disables it.
    /// </summary>
    public TimeSpan ErrorBackoff { get; init; } = TimeSpan.FromMilliseconds(10);

    /// <summary>Phase label of requests that start before the first <see cref="LoadRun.Mark"/>.</summary>
    public string InitialPhase { get; init; } = "start";

    /// <summary>Clock for start times, latencies and backoff.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Throws with the field, value and fix when an option cannot work.</summary>
    public void Validate()
    {
        if (!Url.IsAbsoluteUri || (Url.Scheme != Uri.UriSchemeHttp && Url.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"Url '{Url}' is not an absolute http(s) URL; use e.g. http://127.0.0.1:8080/", nameof(Url));
        }
        if (Concurrency is < 1 or > 10_000)
        {
            throw new ArgumentException($"Concurrency {Concurrency} is out of range; use 1 to 10000", nameof(Concurrency));
        }
        if (Timeout <= TimeSpan.Zero)
        {
            throw new ArgumentException($"Timeout {Timeout} must be positive, e.g. 10 seconds", nameof(Timeout));
        }
        if (MarkerPattern is not null)
        {
            var groups = new System.Text.RegularExpressions.Regex(MarkerPattern).GetGroupNumbers().Length - 1;
            if (groups < 1)
            {
                throw new ArgumentException($"MarkerPattern '{MarkerPattern}' has no capture group; wrap the part to keep in parentheses, e.g. version=(v\\d+)", nameof(MarkerPattern));
            }
        }
    }
}
