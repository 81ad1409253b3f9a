using Gantry.Model.Api;

namespace Gantry.Server.Apps;

/// <summary>What became of a deploy or scale request, mapped one-to-one onto HTTP answers.</summary>
public sealed record DeployOutcome(DeployOutcomeKind Kind, DeployResponse? Response, IReadOnlyList<Diagnostic> Errors, string? Reason)
{
    public static DeployOutcome Accepted(DeployResponse response) => new(DeployOutcomeKind.Accepted, response, [], null);

    public static DeployOutcome Invalid(IReadOnlyList<Diagnostic> errors) => new(DeployOutcomeKind.Invalid, null, errors, null);

    public static DeployOutcome Refused(string reason) => new(DeployOutcomeKind.Refused, null, [], reason);

    public static DeployOutcome Conflict(string reason) => new(DeployOutcomeKind.Conflict, null, [], reason);

    public static DeployOutcome Missing(string reason) => new(DeployOutcomeKind.Missing, null, [], reason);
}

public enum DeployOutcomeKind
{
    Accepted,
    Invalid,
    Refused,
    Conflict,
    Missing,
}
