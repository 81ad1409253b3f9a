namespace Gantry.Server.Logs;

/// <summary>
/// One line a replica wrote, as the log store keeps it: the text exactly as written (a JSON line stays the JSON it was, for
/// the reader to parse), with where it came from. The app is the folder the line is stored under.
/// </summary>
/// <param name="Time">The engine's timestamp of the line (to its 100 ns tick).</param>
/// <param name="Replica">The container's name (app-service-slot-hash), as `gantry ps` shows it.</param>
/// <param name="Release">The release the replica was created for (its gantry.release label); 0 when unknown.</param>
/// <param name="Stream">stdout or stderr.</param>
/// <param name="Container">The container id's first 12 characters: what the collector resumes by.</param>
public sealed record StoredLogLine(DateTimeOffset Time, string Service, string Replica, int Release, string Stream, string Container, string Text);
