using System.Text.Json;
using Gantry.Model;
using Gantry.Model.Pipelines;

namespace Gantry.Compose.XGantry;

/// <summary>
/// Reads a service's `x-gantry: test:`, the push pipeline's test stage: a string (run with `sh -c`), a list (exec form), or
/// a mapping `{command: ..., timeout: 5m, services: [db]}` (the app's services the test needs, started beside it). Errors name
/// the key and what to write.
/// </summary>
public static class TestStageParser
{
    public const string Key = "test";

    private static readonly HashSet<string> Keys = ["command", "timeout", "services"];

    public static TestStageSpec? Parse(ServiceSpec service, List<string> errors)
    {
        if (GantryExtension.Section(service, Key) is not { } test)
        {
            return null;
        }
        var at = $"services.{service.Name}.{GantryExtension.Key}.{Key}";
        var timeout = TestStageSpec.DefaultTimeout;
        var command = test;
        IReadOnlyList<string> services = [];
        if (test.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in test.EnumerateObject().Where(p => !Keys.Contains(p.Name)))
            {
                errors.Add($"{at}.{property.Name}: unknown key; test takes command, timeout and services");
            }
            if (!test.TryGetProperty("command", out command))
            {
                errors.Add($"{at}: missing command; write e.g. test: {{command: \"npm test\", timeout: 5m}}");
                return null;
            }
            if (test.TryGetProperty("services", out var named))
            {
                if (named.ValueKind != JsonValueKind.Array || named.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String || !Names.IsValidServiceName(e.GetString()!)))
                {
                    errors.Add($"{at}.services: expected a list of this app's service names the test needs, e.g. services: [db]; it is {named.GetRawText()}");
                    return null;
                }
                services = [.. named.EnumerateArray().Select(e => e.GetString()!).Distinct(StringComparer.Ordinal)];
                if (services.Contains(service.Name))
                {
                    errors.Add($"{at}.services: '{service.Name}' is the service under test (it runs as the test itself); name only the others it needs");
                    return null;
                }
            }
            at += ".command";
            timeout = GantryExtensionParser.Duration(test, "timeout", timeout, $"services.{service.Name}.{GantryExtension.Key}.{Key}", errors);
            if (timeout <= TimeSpan.Zero)
            {
                errors.Add($"services.{service.Name}.{GantryExtension.Key}.{Key}.timeout: must be more than 0; write e.g. 5m");
                return null;
            }
        }
        IReadOnlyList<string>? argv = command.ValueKind switch
        {
            JsonValueKind.String when command.GetString() is { Length: > 0 } text && !string.IsNullOrWhiteSpace(text) => ["sh", "-c", text],
            JsonValueKind.Array when command.GetArrayLength() > 0 && command.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String) =>
                command.EnumerateArray().Select(e => e.GetString()!).ToList(),
            _ => null,
        };
        if (argv is null)
        {
            errors.Add($"{at}: expected the command to run in a container of the service's image: a string (run with sh -c), " +
                "a list such as [\"npm\", \"test\"], or a mapping {command: ..., timeout: 5m}; it is " +
                (command.ValueKind == JsonValueKind.String ? "empty" : command.GetRawText()));
            return null;
        }
        return new TestStageSpec { Command = argv, Timeout = timeout, Services = services };
    }
}
