namespace Gantry.Logging;

/// <summary>
/// An append-only file stream that rotates itself by size: when a flush finds the file at <see cref="RotatingFileOptions.MaxBytes"/>
/// or more, PATH becomes PATH.1, PATH.1 becomes PATH.2, ..., the oldest beyond <see cref="RotatingFileOptions.Keep"/> is deleted,
/// and a new PATH is started. Works anywhere (no logrotate or systemd needed).
/// </summary>
/// <remarks>The size is counted in memory as bytes are written, so the write path costs no extra system call; the check is in
/// <see cref="Flush"/>/<see cref="FlushAsync"/>, which the writers call once per batch. One writer at a time (the callers' own loop).</remarks>
public sealed class RotatingFileStream : Stream
{
    private readonly RotatingFileOptions _options;
    private FileStream _file;
    private long _length;

    private RotatingFileStream(RotatingFileOptions options, FileStream file)
    {
        _options = options;
        _file = file;
        _length = file.Length;
    }

    /// <summary>Opens (appending to) the file, creating its directory; rotates first if it is already over its size.</summary>
    public static RotatingFileStream Open(RotatingFileOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", errors), nameof(options));
        }
        var full = System.IO.Path.GetFullPath(options.Path);
        if (System.IO.Path.GetDirectoryName(full) is { Length: > 0 } directory)
        {
            Directory.CreateDirectory(directory);
        }
        var stream = new RotatingFileStream(options with { Path = full }, OpenFile(full));
        stream.RotateIfFull();
        return stream;
    }

    /// <summary>The current file's path.</summary>
    public string Path => _options.Path;

    /// <summary>Bytes in the current file (as counted by this stream).</summary>
    public override long Length => _length;

    /// <summary>How many times this stream rotated its file.</summary>
    public int Rotations { get; private set; }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Position
    {
        get => _length;
        set => throw new NotSupportedException("a log file is append-only");
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        _file.Write(buffer);
        _length += buffer.Length;
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await _file.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        _length += buffer.Length;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
        _file.Flush();
        RotateIfFull();
    }

    public override async Task FlushAsync(CancellationToken cancellationToken)
    {
        await _file.FlushAsync(cancellationToken).ConfigureAwait(false);
        RotateIfFull();
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("a log file is write-only");

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException("a log file is append-only");

    public override void SetLength(long value) => throw new NotSupportedException("a log file is append-only");

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _file.Dispose();
        }
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await _file.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>The rotated file at <paramref name="index"/> (1 = newest).</summary>
    public static string RotatedPath(string path, int index) => $"{path}.{index}";

    private void RotateIfFull()
    {
        if (_length < _options.MaxBytes)
        {
            return;
        }
        _file.Dispose();
        var path = _options.Path;
        try
        {
            if (_options.Keep == 0)
            {
                File.Delete(path);
            }
            else
            {
                File.Delete(RotatedPath(path, _options.Keep));
                for (var i = _options.Keep - 1; i >= 1; i--)
                {
                    if (File.Exists(RotatedPath(path, i)))
                    {
                        File.Move(RotatedPath(path, i), RotatedPath(path, i + 1));
                    }
                }
                File.Move(path, RotatedPath(path, 1));
            }
            Rotations++;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Could not rotate (permissions, a vanished file): keep appending to the same file and try at the next flush.
        }
        _file = OpenFile(path);
        _length = _file.Length;
    }

    // FileShare.ReadWrite|Delete: `tail -F` and readers keep working, and a rename under an open handle is allowed.
    private static FileStream OpenFile(string path) =>
        new(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.Asynchronous);
}
