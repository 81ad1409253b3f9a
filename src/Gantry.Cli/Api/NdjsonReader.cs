using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Gantry.Cli.Api;

/// <summary>
/// Reads a newline-delimited JSON stream one object per line. Lines may arrive split over many
/// reads (the reader buffers until the newline); blank lines are keep-alives and are skipped.
/// </summary>
public static class NdjsonReader
{
    public static async IAsyncEnumerable<T> ReadAsync<T>(Stream stream, JsonTypeInfo<T> typeInfo, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(stream);
        while (true)
        {
            var line = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
            if (line is null)
            {
                yield break;
            }
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }
            T? item;
            try
            {
                item = JsonSerializer.Deserialize(line, typeInfo);
            }
            catch (JsonException ex)
            {
                throw new CliException(ExitCodes.Failed, $"the server sent a line that is not a {typeof(T).Name}: {Truncate(line)} ({ex.Message})", ex);
            }
            if (item is not null)
            {
                yield return item;
            }
        }
    }

    private static string Truncate(string line) => line.Length <= 120 ? line : line[..120] + "...";
}
