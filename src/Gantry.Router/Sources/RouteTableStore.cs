using System.Text.Json;
using Gantry.Router.Contracts.Routes;

namespace Gantry.Router.Sources;

/// <summary>Keeps the last accepted route table on disk (StateDirectory/routes.json) so a restarted router serves at once, even with the server down.</summary>
public sealed class RouteTableStore
{
    public const string FileName = "routes.json";

    public RouteTableStore(string directory)
    {
        Directory = directory;
        FilePath = System.IO.Path.Combine(directory, FileName);
    }

    public string Directory { get; }

    public string FilePath { get; }

    /// <summary>Returns the saved table, or null when there is none; a corrupt file is reported rather than silently ignored.</summary>
    public RouteTableSpec? Load()
    {
        if (!File.Exists(FilePath))
        {
            return null;
        }

        return RouteFileSource.Load(FilePath);
    }

    /// <summary>Writes the table to a temporary file, flushes it to disk and renames it over the old one, so a crash never leaves a torn file.</summary>
    public void Save(RouteTableSpec table)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var temp = FilePath + "." + Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            JsonSerializer.Serialize(stream, table, RouteTableJsonContext.Default.RouteTableSpec);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, FilePath, overwrite: true);
    }
}
