using System.Globalization;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using Gantry.Docker.Transport;

namespace Gantry.Docker.Containers;

/// <summary>Container operations of the Engine API: lifecycle, inspect, list, wait, logs and stats.</summary>
public sealed class ContainersClient
{
    private readonly DockerConnection _connection;

    internal ContainersClient(DockerConnection connection) => _connection = connection;

    /// <summary>Creates a container (does not start it); throws <see cref="DockerApiException"/> 409 when the name is taken, 404 when the image is missing.</summary>
    public Task<ContainerCreateResponse> CreateAsync(ContainerCreateParameters parameters, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var request = DockerRequest.Post("/containers/create", new QueryString().Add("name", parameters.Name).Add("platform", parameters.Platform)) with
        {
            Content = JsonContent.Create(parameters, DockerJsonContext.Default.ContainerCreateParameters),
        };
        return _connection.GetJsonAsync(request, DockerJsonContext.Default.ContainerCreateResponse, cancellationToken);
    }

    /// <summary>Starts a container; starting a running one is not an error.</summary>
    public Task StartAsync(string id, CancellationToken cancellationToken = default) =>
        _connection.SendNoContentAsync(DockerRequest.Post($"/containers/{DockerRequest.Segment(id)}/start"), cancellationToken);

    /// <summary>Sends the stop signal, waits up to timeout, then kills; stopping a stopped container is not an error.</summary>
    public Task StopAsync(string id, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        _connection.StreamNoContentAsync(
            DockerRequest.Post($"/containers/{DockerRequest.Segment(id)}/stop", new QueryString().Add("t", Seconds(timeout))),
            cancellationToken);

    /// <summary>Restarts a container (stop with timeout, then start).</summary>
    public Task RestartAsync(string id, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        _connection.StreamNoContentAsync(
            DockerRequest.Post($"/containers/{DockerRequest.Segment(id)}/restart", new QueryString().Add("t", Seconds(timeout))),
            cancellationToken);

    /// <summary>Sends a signal (default SIGKILL); 409 if the container is not running.</summary>
    public Task KillAsync(string id, string? signal = null, CancellationToken cancellationToken = default) =>
        _connection.SendNoContentAsync(
            DockerRequest.Post($"/containers/{DockerRequest.Segment(id)}/kill", new QueryString().Add("signal", signal)),
            cancellationToken);

    /// <summary>Removes a container; force kills a running one first, removeVolumes deletes its anonymous volumes.</summary>
    public Task RemoveAsync(string id, bool force = false, bool removeVolumes = false, CancellationToken cancellationToken = default) =>
        _connection.SendNoContentAsync(
            DockerRequest.Delete($"/containers/{DockerRequest.Segment(id)}",
                new QueryString().AddFlag("force", force).AddFlag("v", removeVolumes)),
            cancellationToken);

    /// <summary>Changes limits or the restart policy of a (running) container in place.</summary>
    public Task<ContainerUpdateResponse> UpdateAsync(string id, ContainerUpdateParameters parameters,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var request = DockerRequest.Post($"/containers/{DockerRequest.Segment(id)}/update") with
        {
            Content = JsonContent.Create(parameters, DockerJsonContext.Default.ContainerUpdateParameters),
        };
        return _connection.GetJsonAsync(request, DockerJsonContext.Default.ContainerUpdateResponse, cancellationToken);
    }

    /// <summary>Reads a container's state, config, host config and network endpoints.</summary>
    public Task<ContainerInspectResponse> InspectAsync(string id, CancellationToken cancellationToken = default) =>
        _connection.GetJsonAsync(DockerRequest.Get($"/containers/{DockerRequest.Segment(id)}/json"),
            DockerJsonContext.Default.ContainerInspectResponse, cancellationToken);

    /// <summary>Inspects, or returns null when the container does not exist.</summary>
    public async Task<ContainerInspectResponse?> TryInspectAsync(string id, CancellationToken cancellationToken = default)
    {
        try
        {
            return await InspectAsync(id, cancellationToken).ConfigureAwait(false);
        }
        catch (DockerApiException ex) when (ex.IsNotFound)
        {
            return null;
        }
    }

    /// <summary>Lists containers (running only unless All) matching the filters.</summary>
    public Task<IReadOnlyList<ContainerSummary>> ListAsync(ContainerListOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new ContainerListOptions();
        var query = new QueryString().AddFlag("all", options.All).Add("filters", options.Filters);
        return _connection.GetJsonAsync(DockerRequest.Get("/containers/json", query),
            DockerJsonContext.Default.IReadOnlyListContainerSummary, cancellationToken);
    }

    /// <summary>Blocks until the condition holds and returns the exit code; no deadline other than the token.</summary>
    public Task<ContainerWaitResponse> WaitAsync(string id, WaitCondition condition = WaitCondition.NotRunning,
        CancellationToken cancellationToken = default)
    {
        var value = condition switch
        {
            WaitCondition.NextExit => "next-exit",
            WaitCondition.Removed => "removed",
            _ => "not-running",
        };
        return _connection.StreamJsonAsync(
            DockerRequest.Post($"/containers/{DockerRequest.Segment(id)}/wait", new QueryString().Add("condition", value)),
            DockerJsonContext.Default.ContainerWaitResponse, cancellationToken);
    }

    /// <summary>
    /// Streams log lines, demultiplexing stdout and stderr unless the container has a TTY. With Follow the
    /// enumeration lasts until the container stops or the token is cancelled.
    /// </summary>
    public async IAsyncEnumerable<LogEntry> LogsAsync(string id, ContainerLogsOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        options ??= new ContainerLogsOptions();
        var tty = options.Tty ?? (await InspectAsync(id, cancellationToken).ConfigureAwait(false)).Config.Tty;
        var query = options.ToQuery(withUntil: true);
        var stream = await _connection.OpenStreamAsync(DockerRequest.Get($"/containers/{DockerRequest.Segment(id)}/logs", query),
            cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            await foreach (var entry in LogDemultiplexer.ReadAsync(stream, multiplexed: !tty, options.Timestamps, cancellationToken)
                               .ConfigureAwait(false))
            {
                yield return entry;
            }
        }
    }

    /// <summary>One stats sample with its previous CPU counters filled in (the daemon takes about a second to collect it).</summary>
    public Task<ContainerStats> StatsAsync(string id, CancellationToken cancellationToken = default) =>
        _connection.StreamJsonAsync(
            DockerRequest.Get($"/containers/{DockerRequest.Segment(id)}/stats", new QueryString().Add("stream", false)),
            DockerJsonContext.Default.ContainerStats, cancellationToken);

    /// <summary>
    /// One read of the counters, answered at once (`one-shot`, API 1.41): precpu_stats is empty, so CPU use is the caller's
    /// to compute from two reads. An engine older than 1.41 ignores the flag and answers like <see cref="StatsAsync"/>.
    /// </summary>
    public Task<ContainerStats> SnapshotStatsAsync(string id, CancellationToken cancellationToken = default) =>
        _connection.StreamJsonAsync(
            DockerRequest.Get($"/containers/{DockerRequest.Segment(id)}/stats", new QueryString().Add("stream", false).AddFlag("one-shot", true)),
            DockerJsonContext.Default.ContainerStats, cancellationToken);

    /// <summary>A sample about every second until the container stops or the token is cancelled.</summary>
    public async IAsyncEnumerable<ContainerStats> StreamStatsAsync(string id,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var stream = await _connection.OpenStreamAsync(
            DockerRequest.Get($"/containers/{DockerRequest.Segment(id)}/stats", new QueryString().Add("stream", true)),
            cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            await foreach (var sample in JsonLines.ReadAsync(stream, DockerJsonContext.Default.ContainerStats, cancellationToken)
                               .ConfigureAwait(false))
            {
                yield return sample;
            }
        }
    }

    private static long? Seconds(TimeSpan? timeout) => timeout is { } t ? (long)Math.Ceiling(t.TotalSeconds) : null;
}
