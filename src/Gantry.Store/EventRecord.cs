namespace Gantry.Store;

/// <summary>A stored event; <see cref="Id"/> grows monotonically and is the cursor for paging and following.</summary>
public sealed record EventRecord(
    long Id,
    DateTimeOffset Time,
    string Kind,
    string Name,
    string Type,
    string Reason,
    string Message,
    string? App,
    string? Service,
    string? Replica);
