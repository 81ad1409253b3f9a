using System.Collections.Concurrent;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Gantry.Logging;

/// <summary>
/// Writes a process's own log (one line per entry, as the console logger's single-line format) to a file that rotates by
/// size (<see cref="RotatingFileStream"/>), so a long-running server or router never fills the disk with its log.
/// </summary>
/// <remarks>Logging callers only enqueue (a bounded queue: when the disk cannot keep up, entries are dropped and the next
/// written line says how many); one background task formats nothing, it only writes and flushes in batches.</remarks>
public sealed class RotatingFileLoggerProvider : ILoggerProvider
{
    private readonly Channel<string> _lines = Channel.CreateBounded<string>(
        new BoundedChannelOptions(10_000) { SingleReader = true, FullMode = BoundedChannelFullMode.DropWrite });
    private readonly ConcurrentDictionary<string, Logger> _loggers = new(StringComparer.Ordinal);
    private readonly RotatingFileStream _file;
    private readonly TimeProvider _time;
    private readonly LogLevel _minimum;
    private readonly Task _writer;
    private long _dropped;

    public RotatingFileLoggerProvider(RotatingFileOptions options, TimeProvider time, LogLevel minimum = LogLevel.Information)
    {
        _file = RotatingFileStream.Open(options);
        _time = time;
        _minimum = minimum;
        _writer = Task.Run(WriteAsync);
    }

    /// <summary>The file being written.</summary>
    public string Path => _file.Path;

    public ILogger CreateLogger(string categoryName) => _loggers.GetOrAdd(categoryName, name => new Logger(this, name));

    /// <summary>Writes what is queued and closes the file.</summary>
    public void Dispose()
    {
        _lines.Writer.TryComplete();
        // The writer only drains the queue into the file; waiting for it at shutdown keeps the last lines.
        _writer.GetAwaiter().GetResult();
        _file.Dispose();
    }

    private void Enqueue(string line)
    {
        if (!_lines.Writer.TryWrite(line))
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    private async Task WriteAsync()
    {
        var reader = _lines.Reader;
        var buffer = new StringBuilder();
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            if (Interlocked.Exchange(ref _dropped, 0) is > 0 and var dropped)
            {
                buffer.Append(Stamp()).Append("warn: Gantry.Logging[0] ").Append(dropped).Append(" log entries were dropped (the log file could not keep up)\n");
            }
            while (buffer.Length < 64 * 1024 && reader.TryRead(out var line))
            {
                buffer.Append(line);
            }
            try
            {
                await _file.WriteAsync(Encoding.UTF8.GetBytes(buffer.ToString())).ConfigureAwait(false);
                await _file.FlushAsync().ConfigureAwait(false);
            }
            catch (IOException)
            {
                // A full disk must not take the process down; these lines are lost.
            }
            buffer.Clear();
        }
    }

    private string Stamp() => _time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ ", System.Globalization.CultureInfo.InvariantCulture);

    private static string Level(LogLevel level) => level switch
    {
        LogLevel.Trace => "trce",
        LogLevel.Debug => "dbug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "fail",
        LogLevel.Critical => "crit",
        _ => "none",
    };

    private sealed class Logger(RotatingFileLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= provider._minimum && logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }
            var line = new StringBuilder(provider.Stamp())
                .Append(Level(logLevel)).Append(": ").Append(category).Append('[').Append(eventId.Id).Append("] ")
                .Append(formatter(state, exception).ReplaceLineEndings(" "));
            if (exception is not null)
            {
                line.Append('\n').Append(exception);
            }
            provider.Enqueue(line.Append('\n').ToString());
        }
    }
}
