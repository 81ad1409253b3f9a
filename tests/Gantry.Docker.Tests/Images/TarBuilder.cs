using System.Formats.Tar;
using System.Text;

namespace Gantry.Docker.Tests.Images;

/// <summary>Builds a small in-memory build context.</summary>
internal static class TarBuilder
{
    public static MemoryStream Create(params (string Name, string Content)[] files)
    {
        var buffer = new MemoryStream();
        using (var writer = new TarWriter(buffer, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var (name, content) in files)
            {
                var entry = new PaxTarEntry(TarEntryType.RegularFile, name)
                {
                    DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)),
                    Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
                };
                writer.WriteEntry(entry);
            }
        }

        buffer.Position = 0;
        return buffer;
    }
}
