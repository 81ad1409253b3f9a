using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Gantry.Docker.Transport;

/// <summary>Parses the newline-delimited JSON the daemon streams (build, pull, push, events, stats) one document at a time.</summary>
internal static class JsonLines
{
    public static async IAsyncEnumerable<T> ReadAsync<T>(Stream stream, JsonTypeInfo<T> typeInfo,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, bufferSize: 8192,
            leaveOpen: true);
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var item = Parse(line, typeInfo);
            if (item is not null)
            {
                yield return item;
            }
        }
    }

    private static T? Parse<T>(string line, JsonTypeInfo<T> typeInfo)
    {
        try
        {
            return JsonSerializer.Deserialize(line, typeInfo);
        }
        catch (JsonException ex)
        {
            var preview = line.Length > 200 ? line[..200] + "..." : line;
            throw new DockerTransportException($"The daemon streamed a line that is not the expected JSON ({ex.Message}): {preview}", ex);
        }
    }
}
