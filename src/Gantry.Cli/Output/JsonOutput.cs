using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Gantry.Model.Api;

namespace Gantry.Cli.Output;

/// <summary>
/// Writes API objects as the API's own JSON (same names and enums), indented for reading or compact for NDJSON. The
/// output goes to a terminal or a script, never into HTML, so characters such as &lt; &gt; &amp; ' + stay as they are
/// ("cpu 91% > 70% target", not "\u003E") instead of the default encoder's escapes.
/// </summary>
public static class JsonOutput
{
    private static readonly ApiJsonContext s_indented = new(new JsonSerializerOptions(ApiJsonContext.Default.Options)
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    public static ApiJsonContext Indented => s_indented;

    public static void Write<T>(TextWriter writer, T value, JsonTypeInfo<T> typeInfo) =>
        writer.WriteLine(JsonSerializer.Serialize(value, typeInfo));
}
