using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gantry.Model.Releases;

/// <summary>
/// The one masking rule for every view of an app's configuration (API, CLI, release diff, events):
/// <see cref="SecretValues"/> applied to environment values, command, entrypoint, health-check test,
/// build args, labels, driver options, `x-` extensions and secret contents alike.
/// </summary>
/// <remarks>
/// Views mask a copy; the stored spec keeps the real values because the engine needs them. Arguments
/// are masked in the three forms programs take them: `--db-password VALUE`, `--db-password=VALUE` and
/// `DB_PASSWORD=VALUE`, plus any argument that looks like a credential by itself, and the words of a
/// shell string (`sh -c "..."`, CMD-SHELL) the same way.
/// </remarks>
public static class ConfigurationMasker
{
    /// <summary>What a secret-looking value is shown as.</summary>
    public const string Mask = SecretValues.Mask;

    // Relaxed escaping so the mask and non-ASCII text read as themselves in JSON values.
    private static readonly JsonSerializerOptions s_json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>A copy of the app with every secret-looking value masked; fit to show to anyone allowed to see the app.</summary>
    public static AppSpec MaskApp(AppSpec app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app with
        {
            Services = app.Services.Select(MaskService).ToList(),
            Networks = app.Networks.Select(n => n with { DriverOptions = MaskLabels(n.DriverOptions), Labels = MaskLabels(n.Labels) }).ToList(),
            Volumes = app.Volumes.Select(v => v with { DriverOptions = MaskLabels(v.DriverOptions), Labels = MaskLabels(v.Labels) }).ToList(),
            // A secret's inline content is the secret whatever it looks like; a config's only when it looks like one.
            Secrets = app.Secrets.Select(s => s.Content is null ? s : s with { Content = Mask }).ToList(),
            Configs = app.Configs.Select(c => c.Content is null ? c : c with { Content = MaskText(c.Name, c.Content) }).ToList(),
        };
    }

    /// <summary>A copy of one service with every secret-looking value masked.</summary>
    public static ServiceSpec MaskService(ServiceSpec service)
    {
        ArgumentNullException.ThrowIfNull(service);
        return service with
        {
            Command = service.Command is null ? null : MaskArguments(service.Command),
            Entrypoint = service.Entrypoint is null ? null : MaskArguments(service.Entrypoint),
            Environment = MaskMap(service.Environment),
            Labels = MaskLabels(service.Labels),
            HealthCheck = service.HealthCheck is { } health ? health with { Test = MaskArguments(health.Test ?? []) } : null,
            Build = service.Build is { } build ? build with { Args = MaskMap(build.Args) } : null,
            Extensions = service.Extensions.ToDictionary(p => p.Key, p => MaskJsonText(p.Value, p.Key), StringComparer.Ordinal),
            // Log drivers take tokens and URLs with credentials (splunk-token, loki-url).
            Logging = service.Logging is { } logging ? logging with { Options = MaskLabels(logging.Options) } : null,
        };
    }

    /// <summary>The value as shown under this key: the mask when the key or the value looks secret; null stays null (unset).</summary>
    public static string? MaskText(string? key, string? value) =>
        value is not null && SecretValues.LooksSecret(key, value) ? Mask : value;

    /// <summary>A map (environment, labels, build args, options) with secret-looking values masked, keys kept.</summary>
    public static IReadOnlyDictionary<string, string?> MaskMap(IReadOnlyDictionary<string, string?> map) =>
        new SortedDictionary<string, string?>(map.ToDictionary(p => p.Key, p => MaskText(p.Key, p.Value), StringComparer.Ordinal), StringComparer.Ordinal);

    /// <summary>Labels and driver options (values never unset) with secret-looking values masked, keys kept.</summary>
    public static IReadOnlyDictionary<string, string> MaskLabels(IReadOnlyDictionary<string, string> map) =>
        new SortedDictionary<string, string>(map.ToDictionary(p => p.Key, p => MaskText(p.Key, p.Value)!, StringComparer.Ordinal), StringComparer.Ordinal);

    /// <summary>
    /// Arguments with secret ones masked: the value after a secret-named flag (`--password x`), the value of
    /// `--token=x` and `DB_PASSWORD=x`, credential-looking arguments, and the same inside shell strings.
    /// </summary>
    public static IReadOnlyList<string> MaskArguments(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var masked = new List<string>(args.Count);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            if (arg.Contains(' ', StringComparison.Ordinal))
            {
                // A shell string (CMD-SHELL, sh -c): mask its words the same way.
                masked.Add(string.Join(' ', MaskArguments(arg.Split(' '))));
            }
            else if (i > 0 && TakesSecretValue(args[i - 1]) && !arg.StartsWith('-'))
            {
                masked.Add(Mask);
            }
            else if (equals > 0 && SecretValues.LooksSecret(arg[..equals].TrimStart('-'), arg[(equals + 1)..]))
            {
                masked.Add(arg[..(equals + 1)] + Mask);
            }
            else
            {
                masked.Add(SecretValues.IsSecretValue(arg) ? Mask : arg);
            }
        }
        return masked;
    }

    /// <summary>`x-` extension JSON text with secret-looking values masked (by their property name or their value); text that is not JSON is masked as a value.</summary>
    public static string MaskJsonText(string json, string? key)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(json);
        }
        catch (JsonException)
        {
            return MaskText(key, json)!;
        }
        return node is null ? json : MaskJson(node, key)!;
    }

    /// <summary>A JSON node as compact text with secret-looking values masked; the node itself is not changed.</summary>
    public static string? MaskJson(JsonNode? node, string? key) =>
        node is null ? null : MaskNode(node.DeepClone(), key)?.ToJsonString(s_json);

    /// <summary>A flag whose next argument is its value and a secret: `--password`, `--db-password`, `-token` (not `--token=x`, which carries its own).</summary>
    private static bool TakesSecretValue(string previous) =>
        previous.StartsWith('-') && !previous.Contains('=', StringComparison.Ordinal) && SecretValues.IsSecretKey(previous.TrimStart('-'));

    private static JsonNode? MaskNode(JsonNode? node, string? key)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var name in o.Select(p => p.Key).ToList())
                {
                    var child = o[name];
                    if (MaskNode(child, name) is var masked && !ReferenceEquals(masked, child))
                    {
                        o[name] = masked;
                    }
                }
                return o;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    var item = array[i];
                    if (MaskNode(item, key) is var masked && !ReferenceEquals(masked, item))
                    {
                        array[i] = masked;
                    }
                }
                return array;
            case JsonValue value when value.GetValueKind() is JsonValueKind.String or JsonValueKind.Number:
                var text = value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString();
                return SecretValues.LooksSecret(key, text) ? JsonValue.Create(Mask) : value;
            default:
                return node;
        }
    }
}
