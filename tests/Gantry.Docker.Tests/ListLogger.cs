using Microsoft.Extensions.Logging;

namespace Gantry.Docker.Tests;

/// <summary>Records log events in memory so tests can assert what the client reported.</summary>
internal sealed class ListLogger<T> : ILogger<T>
{
    private readonly List<(EventId Id, LogLevel Level, string Message)> _entries = [];

    public IReadOnlyList<(EventId Id, LogLevel Level, string Message)> Entries
    {
        get
        {
            lock (_entries)
            {
                return [.. _entries];
            }
        }
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
        Func<TState, Exception?, string> formatter)
    {
        lock (_entries)
        {
            _entries.Add((eventId, logLevel, formatter(state, exception)));
        }
    }
}
