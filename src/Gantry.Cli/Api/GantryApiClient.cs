using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Gantry.Model.Api;

namespace Gantry.Cli.Api;

/// <summary>
/// The HTTP client for the Gantry REST API. It maps every failure to one <see cref="CliException"/>:
/// transport failures to <see cref="ExitCodes.Unreachable"/>, and the server's ApiProblem answers to
/// the exit code their status means (401 unauthorized, 404 not found, 409 refused, 422 invalid input).
/// </summary>
public sealed class GantryApiClient : IGantryApi, IDisposable
{
    private static readonly TimeSpan s_callTimeout = TimeSpan.FromSeconds(60);

    private readonly HttpClient _http;
    private readonly ApiConnection _connection;

    public GantryApiClient(ApiConnection connection, HttpMessageHandler? handler = null)
    {
        _connection = connection;
        handler ??= new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(10), PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        // Streams (events, logs) stay open indefinitely; plain calls get their own timeout below.
        _http = new HttpClient(handler) { BaseAddress = connection.Server, Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("gantry-cli", CliVersion.Current));
        if (!string.IsNullOrEmpty(connection.Token))
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", connection.Token);
        }
    }

    public string Server => _connection.Display;

    public void Dispose() => _http.Dispose();

    public Task<IReadOnlyList<AppSummary>> ListAppsAsync(CancellationToken cancellationToken) =>
        GetJsonAsync("api/v1/apps", ApiJsonContext.Default.IReadOnlyListAppSummary, cancellationToken);

    public async Task<DeployResponse> DeployAsync(string app, DeployRequest request, Func<Stream, CancellationToken, Task> writeBundle, CancellationToken cancellationToken)
    {
        using var form = new MultipartFormDataContent();
        var json = new StringContent(JsonSerializer.Serialize(request, ApiJsonContext.Default.DeployRequest), Encoding.UTF8, "application/json");
        form.Add(json, "request");
        var bundle = new StreamingContent(writeBundle);
        bundle.Headers.ContentType = new MediaTypeHeaderValue("application/gzip");
        form.Add(bundle, "bundle", "bundle.tar.gz");
        using var message = new HttpRequestMessage(HttpMethod.Put, AppPath(app)) { Content = form };
        // No call timeout: a large bundle on a slow link may take long; Ctrl+C still cancels.
        using var response = await SendAsync(message, HttpCompletionOption.ResponseContentRead, allowNotFound: false, timeout: null, cancellationToken).ConfigureAwait(false);
        return await ReadJsonAsync(response!, ApiJsonContext.Default.DeployResponse, cancellationToken).ConfigureAwait(false);
    }

    public async Task<AppDetail?> FindAppAsync(string app, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(HttpMethod.Get, AppPath(app));
        using var response = await SendAsync(message, HttpCompletionOption.ResponseContentRead, allowNotFound: true, s_callTimeout, cancellationToken).ConfigureAwait(false);
        return response is null ? null : await ReadJsonAsync(response, ApiJsonContext.Default.AppDetail, cancellationToken).ConfigureAwait(false);
    }

    public async Task DeleteAppAsync(string app, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(HttpMethod.Delete, AppPath(app));
        using var response = await SendAsync(message, HttpCompletionOption.ResponseContentRead, allowNotFound: false, s_callTimeout, cancellationToken).ConfigureAwait(false);
    }

    public async Task<DeployResponse> ScaleAsync(string app, ScaleRequest request, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, AppPath(app) + "/scale")
        {
            Content = new StringContent(JsonSerializer.Serialize(request, ApiJsonContext.Default.ScaleRequest), Encoding.UTF8, "application/json"),
        };
        using var response = await SendAsync(message, HttpCompletionOption.ResponseContentRead, allowNotFound: false, s_callTimeout, cancellationToken).ConfigureAwait(false);
        return await ReadJsonAsync(response!, ApiJsonContext.Default.DeployResponse, cancellationToken).ConfigureAwait(false);
    }

    public Task<IReadOnlyList<ReplicaView>> ListReplicasAsync(string app, CancellationToken cancellationToken) =>
        GetJsonAsync(AppPath(app) + "/replicas", ApiJsonContext.Default.IReadOnlyListReplicaView, cancellationToken);

    public Task<IReadOnlyList<EventView>> ListEventsAsync(string app, long after, int? limit, CancellationToken cancellationToken)
    {
        var path = $"{AppPath(app)}/events?after={after}" + (limit is { } n ? $"&limit={n}" : "");
        return GetJsonAsync(path, ApiJsonContext.Default.IReadOnlyListEventView, cancellationToken);
    }

    public IAsyncEnumerable<EventView> FollowEventsAsync(string app, long after, CancellationToken cancellationToken) =>
        StreamAsync($"{AppPath(app)}/events?after={after}&follow=true", ApiJsonContext.Default.EventView, cancellationToken);

    public IAsyncEnumerable<LogLine> StreamLogsAsync(string app, string? service, bool follow, int? tail, LogsFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var query = new List<string>();
        if (!string.IsNullOrEmpty(service))
        {
            query.Add("service=" + Uri.EscapeDataString(service));
        }
        if (follow)
        {
            query.Add("follow=true");
        }
        if (tail is { } n)
        {
            query.Add("tail=" + n);
        }
        if (filter.Release is { } release)
        {
            query.Add("release=" + release.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        foreach (var (name, value) in new[] { ("since", filter.Since), ("until", filter.Until), ("grep", filter.Grep) })
        {
            if (value is not null)
            {
                query.Add(name + "=" + Uri.EscapeDataString(value));
            }
        }
        var path = AppPath(app) + "/logs" + (query.Count > 0 ? "?" + string.Join('&', query) : "");
        return StreamAsync(path, ApiJsonContext.Default.LogLine, cancellationToken);
    }

    public Task<IReadOnlyList<RequestView>> ListRequestsAsync(string app, int? slowest, int? limit, CancellationToken cancellationToken)
    {
        var path = AppPath(app) + "/requests" + (slowest is { } n ? $"?slowest={n}" : limit is { } l ? $"?limit={l}" : "");
        return GetJsonAsync(path, ApiJsonContext.Default.IReadOnlyListRequestView, cancellationToken);
    }

    public Task<IReadOnlyList<RouteStatsView>> ListRouteStatsAsync(CancellationToken cancellationToken) =>
        GetJsonAsync("api/v1/routes/stats", ApiJsonContext.Default.IReadOnlyListRouteStatsView, cancellationToken);

    public Task<IReadOnlyList<ReleaseView>> ListReleasesAsync(string app, CancellationToken cancellationToken) =>
        GetJsonAsync(AppPath(app) + "/releases", ApiJsonContext.Default.IReadOnlyListReleaseView, cancellationToken);

    public Task<ReleaseView> GetReleaseAsync(string app, long number, CancellationToken cancellationToken) =>
        GetJsonAsync(AppPath(app) + "/releases/" + number.ToString(System.Globalization.CultureInfo.InvariantCulture), ApiJsonContext.Default.ReleaseView, cancellationToken);

    public Task<IReadOnlyList<BuildView>> ListBuildsAsync(string app, CancellationToken cancellationToken) =>
        GetJsonAsync(AppPath(app) + "/builds", ApiJsonContext.Default.IReadOnlyListBuildView, cancellationToken);

    public Task<BuildView> GetBuildAsync(string app, long number, CancellationToken cancellationToken) =>
        GetJsonAsync(BuildPath(app, number), ApiJsonContext.Default.BuildView, cancellationToken);

    public async Task CopyBuildLogAsync(string app, long number, bool follow, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        using var message = new HttpRequestMessage(HttpMethod.Get, BuildPath(app, number) + "/log" + (follow ? "?follow=true" : ""));
        using var response = await SendAsync(message, HttpCompletionOption.ResponseHeadersRead, allowNotFound: false, timeout: null, cancellationToken).ConfigureAwait(false);
        using var stream = await response!.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var buffer = new char[8192];
        try
        {
            int read;
            while ((read = await reader.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                await output.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
        {
            throw new CliException(ExitCodes.Unreachable, $"lost the connection to the Gantry server at {Server}: {ex.Message}", ex);
        }
    }

    public async Task<BuildView> CancelBuildAsync(string app, long number, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, BuildPath(app, number) + "/cancel");
        // The answer comes once the build stopped: the engine may take a moment to end a step.
        using var response = await SendAsync(message, HttpCompletionOption.ResponseContentRead, allowNotFound: false, s_callTimeout, cancellationToken).ConfigureAwait(false);
        return await ReadJsonAsync(response!, ApiJsonContext.Default.BuildView, cancellationToken).ConfigureAwait(false);
    }

    private static string BuildPath(string app, long number) => AppPath(app) + "/builds/" + number.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public async Task<RollbackResponse> RollbackAsync(string app, RollbackRequest request, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, AppPath(app) + "/rollback")
        {
            Content = new StringContent(JsonSerializer.Serialize(request, ApiJsonContext.Default.RollbackRequest), Encoding.UTF8, "application/json"),
        };
        using var response = await SendAsync(message, HttpCompletionOption.ResponseContentRead, allowNotFound: false, s_callTimeout, cancellationToken).ConfigureAwait(false);
        return await ReadJsonAsync(response!, ApiJsonContext.Default.RollbackResponse, cancellationToken).ConfigureAwait(false);
    }

    public Task<RollbackPreview> PreviewRollbackAsync(string app, long? to, CancellationToken cancellationToken) =>
        GetJsonAsync(AppPath(app) + "/rollback" + (to is { } n ? "?to=" + n.ToString(System.Globalization.CultureInfo.InvariantCulture) : ""), ApiJsonContext.Default.RollbackPreview, cancellationToken);

    public Task<AppMetricsView> GetMetricsAsync(string app, string? service, TimeSpan since, TimeSpan step, CancellationToken cancellationToken)
    {
        var path = AppPath(app) + "/metrics?since=" + (long)since.TotalSeconds + "s&step=" + (long)step.TotalSeconds + "s"
            + (service is null ? "" : "&service=" + Uri.EscapeDataString(service));
        return GetJsonAsync(path, ApiJsonContext.Default.AppMetricsView, cancellationToken);
    }

    public Task<DiskUsageView> GetDiskUsageAsync(CancellationToken cancellationToken) =>
        GetJsonAsync("api/v1/system/df", ApiJsonContext.Default.DiskUsageView, cancellationToken);

    public async Task<PruneReport> PruneAsync(bool dryRun, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, "api/v1/system/prune" + (dryRun ? "?dryRun=true" : ""));
        // Removing images and vacuuming the store can take a while on a large installation: no call timeout.
        using var response = await SendAsync(message, HttpCompletionOption.ResponseContentRead, allowNotFound: false, timeout: null, cancellationToken).ConfigureAwait(false);
        return await ReadJsonAsync(response!, ApiJsonContext.Default.PruneReport, cancellationToken).ConfigureAwait(false);
    }

    public async Task<TAnswer> CallAsync<TAnswer>(HttpMethod method, string path, HttpContent? body, JsonTypeInfo<TAnswer> answer, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(method, path.TrimStart('/')) { Content = body };
        using var response = await SendAsync(message, HttpCompletionOption.ResponseContentRead, allowNotFound: false, s_callTimeout, cancellationToken).ConfigureAwait(false);
        return await ReadJsonAsync(response!, answer, cancellationToken).ConfigureAwait(false);
    }

    public async Task<string> CallTextAsync(HttpMethod method, string path, HttpContent? body, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(method, path.TrimStart('/')) { Content = body };
        using var response = await SendAsync(message, HttpCompletionOption.ResponseContentRead, allowNotFound: false, s_callTimeout, cancellationToken).ConfigureAwait(false);
        return await response!.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
    }

    private static string AppPath(string app) => "api/v1/apps/" + Uri.EscapeDataString(app);

    private async Task<T> GetJsonAsync<T>(string path, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(HttpMethod.Get, path);
        using var response = await SendAsync(message, HttpCompletionOption.ResponseContentRead, allowNotFound: false, s_callTimeout, cancellationToken).ConfigureAwait(false);
        return await ReadJsonAsync(response!, typeInfo, cancellationToken).ConfigureAwait(false);
    }

    private async IAsyncEnumerable<T> StreamAsync<T>(string path, JsonTypeInfo<T> typeInfo, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(HttpMethod.Get, path);
        using var response = await SendAsync(message, HttpCompletionOption.ResponseHeadersRead, allowNotFound: false, timeout: null, cancellationToken).ConfigureAwait(false);
        using var stream = await response!.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var items = NdjsonReader.ReadAsync(stream, typeInfo, cancellationToken).ConfigureAwait(false).GetAsyncEnumerator();
        try
        {
            while (true)
            {
                bool more;
                try
                {
                    more = await items.MoveNextAsync();
                }
                catch (Exception ex) when (ex is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
                {
                    throw new CliException(ExitCodes.Unreachable, $"lost the connection to the Gantry server at {Server}: {ex.Message}", ex);
                }
                if (!more)
                {
                    yield break;
                }
                yield return items.Current;
            }
        }
        finally
        {
            await items.DisposeAsync();
        }
    }

    /// <summary>Sends, and turns every failure into a CliException; returns null only for an allowed 404.</summary>
    private async Task<HttpResponseMessage?> SendAsync(HttpRequestMessage message, HttpCompletionOption completion, bool allowNotFound, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (timeout is { } limit)
        {
            timeoutSource.CancelAfter(limit);
        }
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(message, completion, timeoutSource.Token).ConfigureAwait(false);
        }
        catch (HttpRequestException ex) when (FindCliException(ex) is { } inner)
        {
            // Our own content writer failed (an unreadable file in the bundle): that error, not "unreachable".
            throw inner;
        }
        catch (HttpRequestException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw Unreachable(ex);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CliException(ExitCodes.Unreachable, $"the Gantry server at {Server} did not answer {message.Method} /{message.RequestUri} within {timeout?.TotalSeconds:0}s", ex);
        }
        if (response.IsSuccessStatusCode)
        {
            return response;
        }
        using (response)
        {
            if (allowNotFound && response.StatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }
            throw await ProblemAsync(response, cancellationToken).ConfigureAwait(false);
        }
    }

    private CliException Unreachable(HttpRequestException ex)
    {
        var socket = FindSocketError(ex);
        var reason = socket switch
        {
            SocketError.ConnectionRefused => "connection refused",
            SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => "host not found",
            SocketError.TimedOut => "connection timed out",
            SocketError.NetworkUnreachable or SocketError.HostUnreachable => "network unreachable",
            SocketError.ConnectionReset => "connection reset",
            _ => ex.InnerException?.Message ?? ex.Message,
        };
        return new CliException(ExitCodes.Unreachable, $"cannot reach the Gantry server at {Server}: {reason}; is it running? try ./run.sh", ex);
    }

    private static CliException? FindCliException(Exception? ex)
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            if (ex is CliException cli)
            {
                return cli;
            }
        }
        return null;
    }

    private static SocketError? FindSocketError(Exception? ex)
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            if (ex is SocketException socket)
            {
                return socket.SocketErrorCode;
            }
        }
        return null;
    }

    private async Task<CliException> ProblemAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        ApiProblem? problem = null;
        try
        {
            problem = body.Length > 0 ? JsonSerializer.Deserialize(body, ApiJsonContext.Default.ApiProblem) : null;
        }
        catch (JsonException)
        {
            // Not an ApiProblem (a proxy's HTML page, say): fall back to the status line below.
        }
        var status = (int)response.StatusCode;
        var what = problem is null
            ? $"{status} {response.ReasonPhrase}"
            : string.IsNullOrWhiteSpace(problem.Detail) ? problem.Title : $"{problem.Title}: {problem.Detail}";
        return status switch
        {
            401 or 403 when string.IsNullOrEmpty(_connection.Token) =>
                new CliException(ExitCodes.Unauthorized, $"the Gantry server at {Server} needs a token and none is configured; run `gantry login --token TOKEN` or set GANTRY_TOKEN"),
            401 or 403 =>
                new CliException(ExitCodes.Unauthorized, $"the Gantry server at {Server} rejected the token ({status}: {what}); run `gantry login --token TOKEN` with a valid token"),
            404 => new CliException(ExitCodes.NotFound, what),
            409 => new CliException(ExitCodes.DeployFailed, what.Contains("refused", StringComparison.OrdinalIgnoreCase) ? what : $"refused: {what}"),
            400 or 413 or 422 => new CliException(ExitCodes.InvalidInput, what) { Diagnostics = problem?.Errors ?? [] },
            _ => new CliException(ExitCodes.Failed, $"the Gantry server at {Server} answered {status}: {what}"),
        };
    }

    private async Task<T> ReadJsonAsync<T>(HttpResponseMessage response, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return JsonSerializer.Deserialize(body, typeInfo)
                ?? throw new CliException(ExitCodes.Failed, $"the server at {Server} answered {response.RequestMessage?.RequestUri} with an empty body");
        }
        catch (JsonException ex)
        {
            throw new CliException(ExitCodes.Failed, $"the server at {Server} did not answer like a Gantry server ({ex.Message}); check --server", ex);
        }
    }
}
