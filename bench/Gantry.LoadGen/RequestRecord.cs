namespace Gantry.LoadGen;

/// <summary>One finished request: when it started, how long it took, how it ended, and what the body said.</summary>
/// <param name="Start">When the request was sent (the run's clock).</param>
/// <param name="Latency">From send to the last body byte (or the failure).</param>
/// <param name="Status">HTTP status, or 0 when no answer arrived.</param>
/// <param name="Error">Why it failed; <see cref="RequestErrorKind.None"/> for a 2xx answer.</param>
/// <param name="Marker">The marker pattern's capture from the body, or null.</param>
/// <param name="Phase">The label of the latest <c>Mark</c> at <paramref name="Start"/>.</param>
/// <param name="Detail">The failure's message (null on success), kept for the first failures a report shows.</param>
public readonly record struct RequestRecord(
    DateTimeOffset Start,
    TimeSpan Latency,
    int Status,
    RequestErrorKind Error,
    string? Marker,
    string Phase,
    string? Detail = null)
{
    /// <summary>A 2xx answer read to the end.</summary>
    public bool Succeeded => Error == RequestErrorKind.None;
}
