namespace Gantry.Model.Api.Registry;

/// <summary>A repository of the built-in registry as `gantry registry` lists it: its team (the first path segment), tags and newest push.</summary>
public sealed record RepositoryView(string Name, string? Team, int Tags, DateTimeOffset? LastPushedAt, string? LastPushedBy);
