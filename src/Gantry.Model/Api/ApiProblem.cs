namespace Gantry.Model.Api;

/// <summary>
/// The one error shape of the API (RFC 9457 problem details, application/problem+json), with the
/// located diagnostics when the problem is in the user's files.
/// </summary>
public sealed record ApiProblem(string Type, string Title, int Status)
{
    public string? Detail { get; init; }

    public IReadOnlyList<Diagnostic>? Errors { get; init; }

    /// <summary>Set on internal errors: the id the server's log records the failure under (the body never carries the exception).</summary>
    public string? CorrelationId { get; init; }
}
