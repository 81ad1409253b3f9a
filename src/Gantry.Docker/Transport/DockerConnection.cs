using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Gantry.Docker.System;
using Microsoft.Extensions.Logging;

namespace Gantry.Docker.Transport;

/// <summary>
/// The HTTP layer every area client shares: one HttpClient over the endpoint, API version negotiation,
/// deadlines, and the mapping of failures onto <see cref="DockerTransportException"/> and <see cref="DockerApiException"/>.
/// </summary>
internal sealed class DockerConnection : IDisposable
{
    // Error bodies are short JSON documents; cap what we read so a misbehaving proxy cannot make us buffer megabytes.
    private const int MaxErrorBodyChars = 64 * 1024;

    private readonly HttpClient _http;
    private readonly DockerClientOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _negotiationLock = new(1, 1);
    private string? _apiVersion;

    public DockerConnection(DockerClientOptions options, TimeProvider timeProvider, ILogger logger)
    {
        _options = options;
        _timeProvider = timeProvider;
        _logger = logger;
        Endpoint = DockerEndpoint.Parse(options.Endpoint, options.UseTls);
        _apiVersion = options.ApiVersion;
        _http = new HttpClient(DockerHttpHandlerFactory.Create(Endpoint, options), disposeHandler: true)
        {
            BaseAddress = Endpoint.BaseAddress,
            // Deadlines are per call (RequestTimeout for ordinary calls, none for streams), never HttpClient-wide.
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd("Gantry.Docker/1.0");
    }

    public DockerEndpoint Endpoint { get; }

    /// <summary>The negotiated API version, or null before the first versioned call.</summary>
    public string? ApiVersion => _apiVersion;

    public async Task<string> GetApiVersionAsync(CancellationToken cancellationToken)
    {
        if (_apiVersion is { } known)
        {
            return known;
        }

        await _negotiationLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_apiVersion is null)
            {
                var version = await GetJsonAsync(DockerRequest.Unversioned(HttpMethod.Get, "/version"),
                    DockerJsonContext.Default.VersionResponse, cancellationToken).ConfigureAwait(false);
                _apiVersion = ApiVersionNegotiation.Choose(version.ApiVersion, DockerClientOptions.MaxApiVersion);
                DockerLog.ApiVersionNegotiated(_logger, Endpoint, version.ApiVersion, _apiVersion);
            }

            return _apiVersion;
        }
        finally
        {
            _negotiationLock.Release();
        }
    }

    public async Task<T> GetJsonAsync<T>(DockerRequest request, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(request, streaming: false, cancellationToken).ConfigureAwait(false);
        return await ReadJsonAsync(response, typeInfo, request, cancellationToken).ConfigureAwait(false);
    }

    public async Task<string> GetStringAsync(DockerRequest request, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(request, streaming: false, cancellationToken).ConfigureAwait(false);
        return await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task SendNoContentAsync(DockerRequest request, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(request, streaming: false, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends without a deadline (stop and restart may legitimately take long) and discards the body.</summary>
    public async Task StreamNoContentAsync(DockerRequest request, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(request, streaming: true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends with ResponseHeadersRead and no deadline; the caller reads the body incrementally and disposes the stream.</summary>
    public async Task<DockerResponseStream> OpenStreamAsync(DockerRequest request, CancellationToken cancellationToken)
    {
        var response = await SendAsync(request, streaming: true, cancellationToken).ConfigureAwait(false);
        try
        {
            var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            return new DockerResponseStream(response, body, Endpoint, request.Describe());
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            response.Dispose();
            throw new DockerTransportException($"{request.Describe()} on {Endpoint}: reading the response failed: {ex.Message}", ex);
        }
    }

    /// <summary>Streams a body (for example wait) and parses one JSON document from it without a deadline.</summary>
    public async Task<T> StreamJsonAsync<T>(DockerRequest request, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
    {
        await using var stream = await OpenStreamAsync(request, cancellationToken).ConfigureAwait(false);
        var result = await JsonSerializer.DeserializeAsync(stream, typeInfo, cancellationToken).ConfigureAwait(false);
        return result ?? throw new DockerTransportException($"{request.Describe()} on {Endpoint}: the daemon sent an empty body.");
    }

    private async Task<HttpResponseMessage> SendAsync(DockerRequest request, bool streaming, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var prefix = request.Versioned ? "/v" + await GetApiVersionAsync(cancellationToken).ConfigureAwait(false) : string.Empty;

        using var deadline = new RequestDeadline(streaming ? Timeout.InfiniteTimeSpan : _options.RequestTimeout, _timeProvider,
            cancellationToken);
        using var message = new HttpRequestMessage(request.Method, prefix + request.PathAndQuery) { Content = request.Content };
        foreach (var (name, value) in request.Headers)
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }

        HttpResponseMessage response;
        var started = _timeProvider.GetTimestamp();
        try
        {
            response = await _http.SendAsync(
                message,
                streaming ? HttpCompletionOption.ResponseHeadersRead : HttpCompletionOption.ResponseContentRead,
                deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException ex)
        {
            DockerLog.RequestFailed(_logger, request.Method.Method, request.Path, Endpoint, ElapsedMs(started), ex);
            throw new DockerTransportException(
                $"{request.Describe()} on {Endpoint} timed out after {_options.RequestTimeout.TotalSeconds:0.#} s.", ex);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            DockerLog.RequestFailed(_logger, request.Method.Method, request.Path, Endpoint, ElapsedMs(started), ex);
            throw new DockerTransportException($"{request.Describe()} on {Endpoint} failed: {ex.Message}", ex);
        }

        DockerLog.RequestCompleted(_logger, request.Method.Method, request.Path, response.StatusCode, ElapsedMs(started));

        // 304 means "already in that state" for start/stop; callers treat it as success.
        if (response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.NotModified)
        {
            return response;
        }

        using (response)
        {
            var daemonMessage = await ReadErrorMessageAsync(response, cancellationToken).ConfigureAwait(false);
            throw new DockerApiException(response.StatusCode, daemonMessage, request.Describe());
        }
    }

    private double ElapsedMs(long started) => _timeProvider.GetElapsedTime(started).TotalMilliseconds;

    private async Task<T> ReadJsonAsync<T>(HttpResponseMessage response, JsonTypeInfo<T> typeInfo, DockerRequest request,
        CancellationToken cancellationToken)
    {
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            var result = await JsonSerializer.DeserializeAsync(body, typeInfo, cancellationToken).ConfigureAwait(false);
            return result ?? throw new DockerTransportException($"{request.Describe()} on {Endpoint}: the daemon sent an empty body.");
        }
        catch (JsonException ex)
        {
            throw new DockerTransportException($"{request.Describe()} on {Endpoint}: the response is not the expected JSON: {ex.Message}", ex);
        }
    }

    private static async Task<string> ReadErrorMessageAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        string text;
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            using var reader = new StreamReader(body, Encoding.UTF8);
            var buffer = new char[MaxErrorBodyChars];
            var read = await reader.ReadBlockAsync(buffer, cancellationToken).ConfigureAwait(false);
            text = new string(buffer, 0, read);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            return response.ReasonPhrase ?? "no error body";
        }

        try
        {
            var error = JsonSerializer.Deserialize(text, DockerJsonContext.Default.ErrorResponse);
            if (!string.IsNullOrEmpty(error?.Message))
            {
                return error.Message;
            }
        }
        catch (JsonException)
        {
            // Not JSON (a proxy's HTML page, or plain text from old daemons): the raw text is the best message we have.
        }

        return string.IsNullOrWhiteSpace(text) ? response.ReasonPhrase ?? "no error body" : text.Trim();
    }

    public void Dispose()
    {
        _http.Dispose();
        _negotiationLock.Dispose();
    }
}
