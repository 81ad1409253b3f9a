namespace Gantry.Registry.Browsing;

/// <summary>A repository as a listing shows it: how many tags, and the newest push (when and by whom).</summary>
public sealed record RepositorySummary(string Name, int Tags, DateTimeOffset? LastPushedAt, string? LastPushedBy);
