using System.Globalization;
using System.Text.Json;
using Gantry.Model;
using Gantry.Model.Releases;

namespace Gantry.Compose.XGantry;

/// <summary>
/// Reads how a service is released from its `x-gantry` keys (`strategy`, `rollback-window`, `drain-timeout`,
/// `progress-deadline`, `auto-rollback`, `canary`) and compose's `deploy.update_config`. Defaults:
/// blue-green for routed services, rolling for the rest; errors name the key and what to write.
/// </summary>
public static class ReleasePolicyParser
{
    public static readonly string[] Keys = ["strategy", "rollback-window", "drain-timeout", "progress-deadline", "auto-rollback", "canary"];

    public static ReleasePolicy Parse(ServiceSpec service, bool routed, List<string> errors)
    {
        var policy = new ReleasePolicy { Routed = routed, Strategy = routed ? ReleaseStrategy.BlueGreen : ReleaseStrategy.Rolling };
        if (!service.Extensions.TryGetValue("x-gantry", out var json))
        {
            return policy;
        }
        JsonElement root;
        try
        {
            root = JsonDocument.Parse(json).RootElement;
        }
        catch (JsonException)
        {
            return policy; // reported by the routing parser
        }
        if (root.ValueKind != JsonValueKind.Object)
        {
            return policy;
        }
        var at = $"services.{service.Name}.x-gantry";
        if (root.TryGetProperty("strategy", out var strategy))
        {
            var name = strategy.ValueKind == JsonValueKind.String ? strategy.GetString() : strategy.GetRawText();
            policy = policy with
            {
                Strategy = name switch
                {
                    "blue-green" => ReleaseStrategy.BlueGreen,
                    "rolling" => ReleaseStrategy.Rolling,
                    "recreate" => ReleaseStrategy.Recreate,
                    _ => Error(errors, $"{at}.strategy: '{name}' is not a strategy; use blue-green, rolling or recreate", policy.Strategy),
                },
            };
        }
        policy = policy with
        {
            WarmFor = GantryExtensionParser.Duration(root, "rollback-window", policy.WarmFor, at, errors),
            DrainTimeout = GantryExtensionParser.Duration(root, "drain-timeout", policy.DrainTimeout, at, errors),
            ProgressDeadline = GantryExtensionParser.Duration(root, "progress-deadline", policy.ProgressDeadline, at, errors),
        };
        if (root.TryGetProperty("auto-rollback", out var auto))
        {
            policy = policy with { AutoRollback = ParseAutoRollback(auto, $"{at}.auto-rollback", errors) };
        }
        if (root.TryGetProperty("canary", out var canary))
        {
            policy = policy with { CanarySteps = ParseCanary(canary, $"{at}.canary", errors) };
            if (policy.CanarySteps.Count > 0 && policy.Strategy != ReleaseStrategy.BlueGreen)
            {
                errors.Add($"{at}.canary: canary steps need strategy blue-green (the new set must be complete before traffic is split)");
            }
        }
        if (policy.Strategy == ReleaseStrategy.BlueGreen && !routed)
        {
            errors.Add($"{at}.strategy: blue-green swaps routes, and {service.Name} has none; add a host, or use rolling");
        }
        return policy;
    }

    private static AutoRollbackPolicy? ParseAutoRollback(JsonElement value, string at, List<string> errors)
    {
        if (value.ValueKind == JsonValueKind.False)
        {
            return null;
        }
        if (value.ValueKind == JsonValueKind.True)
        {
            return new AutoRollbackPolicy();
        }
        if (value.ValueKind != JsonValueKind.Object)
        {
            errors.Add($"{at}: expected false, true or a mapping such as {{window: 2m, error-rate: 5%, latency-ratio: 2}}");
            return new AutoRollbackPolicy();
        }
        foreach (var property in value.EnumerateObject().Where(p => p.Name is not ("window" or "error-rate" or "latency-ratio" or "min-requests")))
        {
            errors.Add($"{at}.{property.Name}: unknown key; auto-rollback takes window, error-rate, latency-ratio, min-requests");
        }
        var policy = new AutoRollbackPolicy();
        return policy with
        {
            Window = GantryExtensionParser.Duration(value, "window", policy.Window, at, errors),
            MaxErrorRateIncrease = Number(value, "error-rate", policy.MaxErrorRateIncrease, at, errors, percent: true),
            MaxLatencyRatio = Number(value, "latency-ratio", policy.MaxLatencyRatio, at, errors, percent: false, minimum: 1),
            MinRequests = (int)Number(value, "min-requests", policy.MinRequests, at, errors, percent: false, minimum: 1, maximum: 1_000_000),
        };
    }

    private static List<int> ParseCanary(JsonElement value, string at, List<string> errors)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            errors.Add($"{at}: expected a list of traffic percentages, e.g. [10, 50]");
            return [];
        }
        var steps = new List<int>();
        foreach (var item in value.EnumerateArray())
        {
            var text = item.ValueKind == JsonValueKind.String ? item.GetString()!.TrimEnd('%') : item.GetRawText();
            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var percent) || percent is < 1 or > 100 || (steps.Count > 0 && percent <= steps[^1]))
            {
                errors.Add($"{at}: '{text}' is not a step; write increasing percentages between 1 and 100, e.g. [10, 50]");
                return [];
            }
            if (percent < 100)
            {
                steps.Add(percent);
            }
        }
        return steps;
    }

    private static double Number(JsonElement parent, string key, double fallback, string at, List<string> errors, bool percent, double minimum = 0, double maximum = double.MaxValue)
    {
        if (!parent.TryGetProperty(key, out var value))
        {
            return fallback;
        }
        var text = value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
        var isPercent = percent && text.EndsWith('%');
        if (!double.TryParse(isPercent ? text[..^1] : text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            errors.Add($"{at}.{key}: '{text}' is not a number; write e.g. {(percent ? "5% or 0.05" : "2")}");
            return fallback;
        }
        number = isPercent ? number / 100 : number;
        if (number < minimum || number > maximum)
        {
            errors.Add($"{at}.{key}: {text} is out of range; it takes {minimum.ToString(CultureInfo.InvariantCulture)} to {(maximum == double.MaxValue ? "any" : maximum.ToString(CultureInfo.InvariantCulture))}");
            return fallback;
        }
        return number;
    }

    private static T Error<T>(List<string> errors, string message, T fallback)
    {
        errors.Add(message);
        return fallback;
    }
}
