namespace Gantry.Compose;

/// <summary>One compose file given to the loader (-f); when <paramref name="Content"/> is null the file is read from disk.</summary>
public sealed record ComposeSource(string Path, string? Content = null);
