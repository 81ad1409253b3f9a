namespace Gantry.Server.Git;

/// <summary>The head of a CGI response: its status (from `Status:`, 200 when absent) and the other header fields in order.</summary>
public sealed record CgiResponseHead(int Status, IReadOnlyList<KeyValuePair<string, string>> Headers);
