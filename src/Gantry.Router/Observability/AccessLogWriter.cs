using System.Buffers;
using System.Text.Json;
using System.Threading.Channels;
using Gantry.Logging;

namespace Gantry.Router.Observability;

/// <summary>Writes JSON-lines access-log records from a bounded channel on a background task; the request path only enqueues.</summary>
/// <remarks>When the disk (or stdout pipe) cannot keep up, records are dropped and counted rather than blocking requests.
/// The writer reuses one buffer and one Utf8JsonWriter, and flushes to the stream only when the channel runs dry, so a
/// busy router issues few large writes. A file target rotates by size (<see cref="RotatingFileStream"/>): the size is counted
/// in memory and checked at each flush, so rotation adds no system call per request or per write.</remarks>
public sealed class AccessLogWriter : IAsyncDisposable
{
    private readonly Channel<RequestRecord> _channel = Channel.CreateBounded<RequestRecord>(
        new BoundedChannelOptions(16 * 1024) { SingleReader = true, FullMode = BoundedChannelFullMode.DropWrite });
    private readonly Stream _output;
    private readonly bool _ownsOutput;
    private readonly RouterMetrics _metrics;
    private readonly Task _loop;

    public AccessLogWriter(Stream output, bool ownsOutput, RouterMetrics metrics)
    {
        _output = output;
        _ownsOutput = ownsOutput;
        _metrics = metrics;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Opens the destination named by <see cref="Hosting.RouterOptions.AccessLog"/>: "stdout", a file path (appended,
    /// rotated at <paramref name="maxBytes"/> keeping <paramref name="keep"/> old files), or null for none.</summary>
    public static AccessLogWriter? Open(string? target, RouterMetrics metrics, long maxBytes = 100L << 20, int keep = 5)
    {
        if (string.IsNullOrEmpty(target))
        {
            return null;
        }

        if (target is "stdout" or "-")
        {
            return new AccessLogWriter(Console.OpenStandardOutput(), ownsOutput: false, metrics);
        }

        var file = RotatingFileStream.Open(new RotatingFileOptions { Path = target, MaxBytes = maxBytes, Keep = keep });
        return new AccessLogWriter(file, ownsOutput: true, metrics);
    }

    public void Enqueue(RequestRecord record)
    {
        if (!_channel.Writer.TryWrite(record))
        {
            _metrics.CountAccessLogDropped();
        }
    }

    private async Task RunAsync()
    {
        var buffer = new ArrayBufferWriter<byte>(64 * 1024);
        using var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true });
        var reader = _channel.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryRead(out var record))
            {
                AccessLogFormat.Write(json, record);
                json.Flush();
                json.Reset();
                buffer.Write("\n"u8);
                if (buffer.WrittenCount >= 60 * 1024)
                {
                    await WriteAsync(buffer).ConfigureAwait(false);
                }
            }

            await WriteAsync(buffer).ConfigureAwait(false);
        }
    }

    private async Task WriteAsync(ArrayBufferWriter<byte> buffer)
    {
        if (buffer.WrittenCount == 0)
        {
            return;
        }

        try
        {
            await _output.WriteAsync(buffer.WrittenMemory).ConfigureAwait(false);
            await _output.FlushAsync().ConfigureAwait(false);
        }
        catch (IOException)
        {
            // A full disk or closed pipe must not take the router down; the records are lost and the loop continues.
            _metrics.CountAccessLogDropped();
        }

        buffer.ResetWrittenCount();
    }

    public async ValueTask DisposeAsync()
    {
        _channel.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
        if (_ownsOutput)
        {
            await _output.DisposeAsync().ConfigureAwait(false);
        }
    }
}
