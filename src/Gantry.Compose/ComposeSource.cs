namespace Gantry.Compose;

/// <summary>One compose file given to the loader (-f); when <paramref name="Content"/> is null the file is read from disk.</summary>
/// <param name="Path">File path; a relative path resolves against <c>ComposeLoadOptions.WorkingDirectory</c> when that is set, else the current directory. Diagnostics name the file as written here.</param>
public sealed record ComposeSource(string Path, string? Content = null);
