using System.Text.Json;
using Gantry.Compose.Validation;

namespace Gantry.Compose.Tests.Corpus;

/// <summary>Every key the Compose Specification's schema allows is classified (supported, ignored or refused), and no table invents keys.</summary>
public sealed class SchemaKeyTableTests
{
    private static readonly JsonElement Schema = JsonDocument.Parse(File.ReadAllText(Path.Combine(CorpusPaths.Root, "compose-spec", "compose-spec.json"))).RootElement;

    private static JsonElement Definition(string name) => Schema.GetProperty("definitions").GetProperty(name);

    private static string[] Keys(JsonElement obj) =>
        obj.GetProperty("properties").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToArray();

    public static TheoryData<string> Tables() => ["top", "service", "build", "deployment", "healthcheck", "network", "volume", "secret", "config", "include"];

    [Theory]
    [MemberData(nameof(Tables))]
    public void KeyTable_MatchesSchemaProperties(string name)
    {
        var (table, schemaKeys) = name switch
        {
            "top" => (SchemaKeys.TopLevel, Keys(Schema)),
            "service" => (SchemaKeys.Service, Keys(Definition("service"))),
            "build" => (SchemaKeys.Build, Keys(Definition("service").GetProperty("properties").GetProperty("build").GetProperty("oneOf")[1])),
            "deployment" => (SchemaKeys.Deploy, Keys(Definition("deployment"))),
            "healthcheck" => (SchemaKeys.HealthCheck, Keys(Definition("healthcheck"))),
            "network" => (SchemaKeys.Network, Keys(Definition("network"))),
            "volume" => (SchemaKeys.TopVolume, Keys(Definition("volume"))),
            "secret" => (SchemaKeys.Secret, Keys(Definition("secret"))),
            "config" => (SchemaKeys.Config, Keys(Definition("config"))),
            _ => (SchemaKeys.Include, Keys(Definition("include").GetProperty("oneOf")[1])),
        };
        Assert.Equal(schemaKeys, table.Keys.Order(StringComparer.Ordinal).ToArray());
    }
}
