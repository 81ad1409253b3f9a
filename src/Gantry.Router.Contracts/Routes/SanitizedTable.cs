namespace Gantry.Router.Contracts.Routes;

/// <summary>A received table split into what the router serves and what it left out.</summary>
/// <param name="Accepted">The valid part: the received instance itself when nothing was wrong.</param>
/// <param name="Rejected">Each route, cluster or destination left out, with its reasons.</param>
/// <param name="Errors">Every validation error, as <see cref="RouteTableValidator.Validate"/> reports them.</param>
public sealed record SanitizedTable(RouteTableSpec Accepted, IReadOnlyList<RejectedEntry> Rejected, IReadOnlyList<ConfigError> Errors);
