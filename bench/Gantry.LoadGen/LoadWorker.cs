using System.Net;

namespace Gantry.LoadGen;

/// <summary>One closed-loop client: sends a request, records how it ended, sends the next.</summary>
internal sealed class LoadWorker(LoadRun run)
{
    private const int DetailLength = 200;

    private readonly List<RequestRecord> _records = new(4096);

    public async Task RunAsync()
    {
        var options = run.Options;
        var time = options.Time;
        while (!run.Stopping)
        {
            var start = time.GetUtcNow();
            var began = time.GetTimestamp();
            var (status, error, marker, detail) = await SendAsync(options).ConfigureAwait(false);
            var record = new RequestRecord(start, time.GetElapsedTime(began), status, error, marker, string.Empty, detail);
            lock (_records)
            {
                _records.Add(record);
            }
            run.CountCompleted();
            if (error != RequestErrorKind.None && options.ErrorBackoff > TimeSpan.Zero)
            {
                await Task.Delay(options.ErrorBackoff, time).ConfigureAwait(false);
            }
        }
    }

    public void CopyTo(List<RequestRecord> target)
    {
        lock (_records)
        {
            target.AddRange(_records);
        }
    }

    private async Task<(int Status, RequestErrorKind Error, string? Marker, string? Detail)> SendAsync(LoadOptions options)
    {
        using var timeout = new CancellationTokenSource(options.Timeout, options.Time);
        using var request = new HttpRequestMessage(HttpMethod.Get, options.Url)
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        if (options.Host is { } host)
        {
            request.Headers.Host = host;
        }
        var status = 0;
        try
        {
            using var response = await run.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            status = (int)response.StatusCode;
            var body = await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false);
            var marker = run.ExtractMarker(body);
            if (status is < 200 or > 299)
            {
                return (status, RequestErrorKind.HttpStatus, marker, Truncate($"HTTP {status}: {body.Trim()}"));
            }
            return (status, RequestErrorKind.None, marker, null);
        }
        catch (OperationCanceledException)
        {
            // Our timer, or the handler's ConnectTimeout (equal to it) firing a moment earlier.
            return (status, RequestErrorKind.Timeout, null, $"no whole answer within {options.Timeout.TotalSeconds:0.###} s");
        }
#pragma warning disable CA1031 // A worker must survive anything one request throws: it is recorded as a failure, never lost.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return (status, ErrorClassifier.Classify(e), null, Truncate(Describe(e)));
        }
    }

    private static string Describe(Exception e)
    {
        var text = e.Message;
        for (var inner = e.InnerException; inner is not null; inner = inner.InnerException)
        {
            text += " <- " + inner.Message;
        }
        return text;
    }

    private static string Truncate(string text) => text.Length <= DetailLength ? text : text[..DetailLength] + "...";
}
