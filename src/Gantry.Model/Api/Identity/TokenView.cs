namespace Gantry.Model.Api.Identity;

/// <summary>A token as listed: its id and scope, never its secret.</summary>
public sealed record TokenView(string Id, string User, Role Role, DateTimeOffset Created)
{
    /// <summary>The one team the token acts in; null for every team of its user.</summary>
    public string? Team { get; init; }

    public DateTimeOffset? Expires { get; init; }

    public string? Description { get; init; }
}
