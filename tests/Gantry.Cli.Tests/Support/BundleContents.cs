using System.Formats.Tar;
using System.IO.Compression;

namespace Gantry.Cli.Tests.Support;

/// <summary>Reads a tar.gz into path → content (directories map to null) for assertions.</summary>
public static class BundleContents
{
    public static Dictionary<string, string?> Read(byte[] tarGz)
    {
        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        using var gzip = new GZipStream(new MemoryStream(tarGz), CompressionMode.Decompress);
        using var reader = new TarReader(gzip);
        while (reader.GetNextEntry() is { } entry)
        {
            if (entry.EntryType == TarEntryType.Directory)
            {
                result[entry.Name.TrimEnd('/')] = null;
                continue;
            }
            using var content = new StreamReader(entry.DataStream ?? Stream.Null);
            result[entry.Name] = content.ReadToEnd();
        }
        return result;
    }
}
