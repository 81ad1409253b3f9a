using System.Buffers;
using System.Text.Json;
using System.Threading.Channels;
using Gantry.Logging;

namespace Gantry.Router.Observability;

/// <summary>Writes JSON-lines access-log records from a bounded channel on a background task; the request path only enqueues.</summary>
/// <remarks>When the disk (or stdout pipe) cannot keep up, records are dropped and counted rather than blocking requests.
/// The writer reuses one buffer and one Utf8JsonWriter. After a record arrives it lets more gather for
/// <see cref="BatchDelay"/> (200 ms) before writing, and writes at once whenever 60 KiB are formatted: a busy router issues
/// a few large writes a second instead of one per wake-up, and its request threads never wake the writer per record
/// (the reader is asleep in the delay, not waiting on the channel). A record reaches the file within about 200 ms. A file target rotates by size (<see cref="RotatingFileStream"/>): the size is counted
/// in memory and checked at each flush, so rotation adds no system call per request or per write.</remarks>
public sealed class AccessLogWriter : IAsyncDisposable
{
    private readonly Channel<RequestRecord> _channel = Channel.CreateBounded<RequestRecord>(
        new BoundedChannelOptions(16 * 1024) { SingleReader = true, FullMode = BoundedChannelFullMode.DropWrite });
    private readonly Stream _output;
    private readonly bool _ownsOutput;
    private readonly RouterMetrics _metrics;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    /// <summary>How long records gather after the first one before they are written (nginx's access_log buffer= flush= idea).</summary>
    public static readonly TimeSpan BatchDelay = TimeSpan.FromMilliseconds(200);

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
            await FormatAvailableAsync(reader, buffer, json).ConfigureAwait(false);
            try
            {
                await Task.Delay(BatchDelay, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Stopping: write what is there now.
            }

            await FormatAvailableAsync(reader, buffer, json).ConfigureAwait(false);
            await WriteAsync(buffer).ConfigureAwait(false);
        }
    }

    private async ValueTask FormatAvailableAsync(ChannelReader<RequestRecord> reader, ArrayBufferWriter<byte> buffer, Utf8JsonWriter json)
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
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
        if (_ownsOutput)
        {
            await _output.DisposeAsync().ConfigureAwait(false);
        }
    }
}
