using System.Text.Json.Serialization;

namespace Gantry.Cli.Config;

/// <summary>Source-generated JSON for the CLI's own config file.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true)]
[JsonSerializable(typeof(CliConfig))]
internal sealed partial class ConfigJsonContext : JsonSerializerContext;
