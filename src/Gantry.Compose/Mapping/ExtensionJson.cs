using System.Globalization;
using System.Text;
using System.Text.Json;
using Gantry.Compose.Yaml;

namespace Gantry.Compose.Mapping;

/// <summary>Writes a service's `x-` extension fields as compact JSON, typing plain scalars as YAML would (numbers, booleans, null).</summary>
internal static class ExtensionJson
{
    public static SortedDictionary<string, string> FromService(MappingNode svc)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in svc.Entries)
        {
            if (key.Value.StartsWith("x-", StringComparison.Ordinal))
            {
                using var stream = new MemoryStream();
                using (var writer = new Utf8JsonWriter(stream))
                {
                    WriteJson(writer, value);
                }
                result[key.Value] = Encoding.UTF8.GetString(stream.ToArray());
            }
        }
        return result;
    }

    private static void WriteJson(Utf8JsonWriter writer, ComposeNode node)
    {
        switch (node)
        {
            case MappingNode map:
                writer.WriteStartObject();
                foreach (var (key, value) in map.Entries)
                {
                    writer.WritePropertyName(key.Value);
                    WriteJson(writer, value);
                }
                writer.WriteEndObject();
                break;
            case SequenceNode seq:
                writer.WriteStartArray();
                foreach (var item in seq.Items)
                {
                    WriteJson(writer, item);
                }
                writer.WriteEndArray();
                break;
            case ScalarNode { IsNull: true }:
                writer.WriteNullValue();
                break;
            case ScalarNode s when !s.Quoted && s.Value is "true" or "false":
                writer.WriteBooleanValue(s.Value == "true");
                break;
            case ScalarNode s when !s.Quoted && long.TryParse(s.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l):
                writer.WriteNumberValue(l);
                break;
            case ScalarNode s when !s.Quoted && double.TryParse(s.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d):
                writer.WriteNumberValue(d);
                break;
            case ScalarNode s:
                writer.WriteStringValue(s.Value);
                break;
        }
    }
}
