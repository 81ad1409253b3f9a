namespace Gantry.Store;

/// <summary>An event to append: something a controller did or saw, shown to people in the console and CLI.</summary>
/// <param name="Type">Normal or Warning.</param>
/// <param name="Reason">A stable CamelCase word (e.g. ReplicaStarted) that tools can match on.</param>
public sealed record NewEvent(
    string Kind,
    string Name,
    string Type,
    string Reason,
    string Message,
    string? App = null,
    string? Service = null,
    string? Replica = null);
