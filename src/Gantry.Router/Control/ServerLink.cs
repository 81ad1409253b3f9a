using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Serialization.Metadata;

namespace Gantry.Router.Control;

/// <summary>The router's one link to the Gantry server: its base address, one HTTP handler (one connection pool for the route
/// feed and both reporters), the Bearer token, and the bounded post the reporters share.</summary>
/// <remarks>Owned by the router host and disposed after the three clients that use it. A transport failure or a non-2xx
/// answer is returned as a <see cref="LinkOutcome"/>, never thrown: none of the clients may let the server's absence reach
/// routing. Only the caller's own cancellation throws.</remarks>
public sealed class ServerLink : IAsyncDisposable
{
    /// <summary>Time allowed to open a connection to the server.</summary>
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);

    private readonly string? _token;
    private readonly HttpClient _http;

    public ServerLink(Uri serverUrl, string? token)
    {
        ArgumentNullException.ThrowIfNull(serverUrl);
        BaseUri = serverUrl.AbsoluteUri.EndsWith('/') ? serverUrl : new Uri(serverUrl.AbsoluteUri + "/");
        _token = token;
        // Timeouts are per call (a feed connection lives for hours, a post gets seconds), not per client.
        _http = new HttpClient(new SocketsHttpHandler { UseProxy = false, ConnectTimeout = ConnectTimeout })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    /// <summary>The server's base URL, ending in "/".</summary>
    public Uri BaseUri { get; }

    /// <summary>The absolute address of a server path such as "api/v1/router/status".</summary>
    public Uri Resolve(string path) => new(BaseUri, path);

    /// <summary>A request to the server carrying the token.</summary>
    public HttpRequestMessage NewRequest(HttpMethod method, Uri uri)
    {
        var request = new HttpRequestMessage(method, uri);
        if (!string.IsNullOrEmpty(_token))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
        }

        return request;
    }

    /// <summary>Sends a request built with <see cref="NewRequest"/> (the route feed's long GET).</summary>
    public Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, HttpCompletionOption completion, CancellationToken ct) =>
        _http.SendAsync(request, completion, ct);

    /// <summary>Posts <paramref name="body"/> as JSON and says whether the server accepted it (2xx) within <paramref name="timeout"/>.</summary>
    public async Task<LinkOutcome> PostAsync<T>(Uri uri, T body, JsonTypeInfo<T> type, TimeSpan timeout, TimeProvider time, CancellationToken ct)
    {
        using var deadline = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, deadline.Token);
        try
        {
            using var request = NewRequest(HttpMethod.Post, uri);
            request.Content = JsonContent.Create(body, type);
            using var response = await _http.SendAsync(request, linked.Token).ConfigureAwait(false);
            return response.IsSuccessStatusCode
                ? LinkOutcome.Accepted
                : LinkOutcome.Failed($"HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException || (ex is OperationCanceledException && !ct.IsCancellationRequested))
        {
            return LinkOutcome.Failed(ex.Message);
        }
    }

    public ValueTask DisposeAsync()
    {
        _http.Dispose();
        return ValueTask.CompletedTask;
    }
}
