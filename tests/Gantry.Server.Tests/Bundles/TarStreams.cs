using System.Formats.Tar;
using System.IO.Compression;
using System.Text;

namespace Gantry.Server.Tests.Bundles;

/// <summary>Hand-made tar.gz uploads, built in memory: what an attacker (not the CLI) would send.</summary>
internal static class TarStreams
{
    public static TarEntry Text(string name, string text, UnixFileMode mode = UnixFileMode.UserRead | UnixFileMode.UserWrite) =>
        new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(text)), Mode = mode };

    public static TarEntry Dir(string name) => new PaxTarEntry(TarEntryType.Directory, name);

    public static TarEntry Link(string name, string target) => new PaxTarEntry(TarEntryType.SymbolicLink, name) { LinkName = target };

    public static TarEntry HardLink(string name, string target) => new PaxTarEntry(TarEntryType.HardLink, name) { LinkName = target };

    public static TarEntry Of(TarEntryType type, string name) => new PaxTarEntry(type, name);

    public static MemoryStream Gzip(params TarEntry[] entries) => Gzip((IEnumerable<TarEntry>)entries);

    public static MemoryStream Gzip(IEnumerable<TarEntry> entries)
    {
        var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        using (var writer = new TarWriter(gzip, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var entry in entries)
            {
                writer.WriteEntry(entry);
            }
        }
        output.Position = 0;
        return output;
    }

    /// <summary>One file of <paramref name="bytes"/> zeros: a few KiB compressed, any size unpacked.</summary>
    public static MemoryStream Bomb(string name, long bytes)
    {
        var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
        using (var writer = new TarWriter(gzip, TarEntryFormat.Pax, leaveOpen: true))
        {
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new ZeroStream(bytes) });
        }
        output.Position = 0;
        return output;
    }

    private sealed class ZeroStream(long length) : Stream
    {
        private long _position;

        public override bool CanRead => true;

        public override bool CanSeek => true;

        public override bool CanWrite => false;

        public override long Length => length;

        public override long Position
        {
            get => _position;
            set => _position = value;
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - _position);
            Array.Clear(buffer, offset, n);
            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => _position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            _ => length + offset,
        };

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
