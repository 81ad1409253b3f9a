using System.Runtime.CompilerServices;
using Gantry.Docker.Transport;

namespace Gantry.Docker.Events;

/// <summary>The daemon's event stream, the push side of Gantry's observe loop.</summary>
public sealed class EventsClient
{
    private readonly DockerConnection _connection;

    internal EventsClient(DockerConnection connection) => _connection = connection;

    /// <summary>
    /// Streams events until cancelled (or until <see cref="EventsOptions.Until"/>). The request is sent when
    /// enumeration starts; pass Since to also replay events from before that moment and close the gap.
    /// </summary>
    public async IAsyncEnumerable<DockerEvent> StreamAsync(EventsOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        options ??= new EventsOptions();
        var query = new QueryString()
            .Add("since", options.Since is { } since ? DockerTime.ToUnixSeconds(since) : null)
            .Add("until", options.Until is { } until ? DockerTime.ToUnixSeconds(until) : null)
            .Add("filters", options.Filters);
        var stream = await _connection.OpenStreamAsync(DockerRequest.Get("/events", query), cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            await foreach (var message in JsonLines.ReadAsync(stream, DockerJsonContext.Default.DockerEvent, cancellationToken)
                               .ConfigureAwait(false))
            {
                yield return message;
            }
        }
    }
}
