namespace Gantry.Compose.Yaml;

/// <summary>Where a node came from: its file, 1-based line and column, and the directory its relative paths resolve against.</summary>
/// <remarks>
/// The base directory travels with the node because compose resolves relative paths against
/// different roots depending on origin: the project directory for -f files, the other file's
/// directory for extends, the include's project_directory for included files.
/// </remarks>
internal readonly record struct SourceMark(string File, int Line, int Column, string BaseDir)
{
    public static SourceMark ForFile(string file, string baseDir) => new(file, 0, 0, baseDir);
}
