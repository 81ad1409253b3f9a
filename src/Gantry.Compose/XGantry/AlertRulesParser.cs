using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Gantry.Compose.Units;
using Gantry.Model;
using Gantry.Model.Alerts;

namespace Gantry.Compose.XGantry;

/// <summary>
/// Reads `x-gantry: alerts` into <see cref="AlertRuleSpec"/>s. Every rule is checked here, once, so the server never
/// meets one it cannot evaluate: an unknown metric, a threshold in the wrong unit ("80" for a share, "1s" for a count),
/// both or neither of above and below, a traffic metric on a service the routers never see.
/// </summary>
public static partial class AlertRulesParser
{
    public const string Key = "alerts";

    /// <summary>How long a rule's condition must hold when `for` is not given: one noisy sample does not page anyone.</summary>
    public static readonly TimeSpan DefaultFor = TimeSpan.FromMinutes(1);

    private static readonly string[] Keys = ["metric", "above", "below", "for", "severity", "name"];
    private static readonly string[] Severities = ["warning", "critical"];
    private static readonly string[] BuiltIn = ["crash-loop", "oom-killed", "replicas-below-desired", "error-rate", "latency-p95", "autoscaler-at-max", "disk", "certificate-expiry", "node-down"];

    /// <summary>The rules, or null when the service has none; each problem is added to <paramref name="errors"/> as "path: what to write".</summary>
    public static IReadOnlyList<AlertRuleSpec>? Parse(ServiceSpec service, bool routed, List<string> errors)
    {
        if (GantryExtension.Section(service, Key) is not { } value)
        {
            return null;
        }
        var at = $"services.{service.Name}.{GantryExtension.Key}.{Key}";
        if (value.ValueKind != JsonValueKind.Array)
        {
            errors.Add($"{at}: expected a list such as [{{metric: memory, above: 80%, for: 5m}}]");
            return null;
        }
        var rules = new List<AlertRuleSpec>();
        var i = 0;
        foreach (var item in value.EnumerateArray())
        {
            var here = $"{at}[{i++}]";
            if (Rule(item, service.Name, routed, here, errors) is { } rule)
            {
                if (rules.Any(r => r.Name == rule.Name))
                {
                    errors.Add($"{here}: another rule of {service.Name} is named '{rule.Name}'; give one of them a name of its own with name:");
                    continue;
                }
                rules.Add(rule);
            }
        }
        return rules;
    }

    private static AlertRuleSpec? Rule(JsonElement item, string service, bool routed, string at, List<string> errors)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            errors.Add($"{at}: expected a mapping such as {{metric: memory, above: 80%, for: 5m}}");
            return null;
        }
        var count = errors.Count;
        foreach (var property in item.EnumerateObject().Where(p => !Keys.Contains(p.Name)))
        {
            errors.Add($"{at}.{property.Name}: unknown key; an alert rule takes {string.Join(", ", Keys)}");
        }
        AlertMetric? metric = null;
        if (!item.TryGetProperty("metric", out var metricValue) || metricValue.ValueKind != JsonValueKind.String)
        {
            errors.Add($"{at}: metric is missing; say what to watch, one of {string.Join(", ", AlertMetrics.Names)}");
        }
        else if ((metric = AlertMetrics.Find(metricValue.GetString()!)) is null)
        {
            errors.Add($"{at}.metric: '{metricValue.GetString()}' is not a kept metric; write one of {string.Join(", ", AlertMetrics.Names)}");
        }
        else if (!metric.PerReplica && !routed)
        {
            errors.Add($"{at}.metric: the routers measure {metric.Name}, and {service} has no routes; add a host to x-gantry, or watch cpu, memory, memory_bytes or restarts");
        }

        var hasAbove = item.TryGetProperty("above", out var above);
        var hasBelow = item.TryGetProperty("below", out var below);
        if (hasAbove == hasBelow)
        {
            errors.Add($"{at}: {(hasAbove ? "both above and below" : "neither above nor below")}; give one threshold, e.g. above: 80%");
        }
        var (threshold, text) = metric is null || hasAbove == hasBelow ? (0, "") : Threshold(hasAbove ? above : below, metric, $"{at}.{(hasAbove ? "above" : "below")}", errors);

        var span = DefaultFor;
        if (item.TryGetProperty("for", out _))
        {
            span = GantryExtensionParser.Duration(item, "for", DefaultFor, at, errors);
            if (span < TimeSpan.Zero)
            {
                errors.Add($"{at}.for: must not be negative; write e.g. 0s (at once), 5m or 1h");
            }
        }
        var severity = "warning";
        if (item.TryGetProperty("severity", out var severityValue))
        {
            severity = severityValue.ValueKind == JsonValueKind.String ? severityValue.GetString()! : severityValue.GetRawText();
            if (!Severities.Contains(severity))
            {
                errors.Add($"{at}.severity: '{severity}' is not a severity; write warning or critical");
            }
        }
        string? name = null;
        if (item.TryGetProperty("name", out var nameValue))
        {
            name = nameValue.ValueKind == JsonValueKind.String ? nameValue.GetString()! : nameValue.GetRawText();
            if (!NamePattern().IsMatch(name))
            {
                errors.Add($"{at}.name: '{name}' is not a rule name; use lowercase letters, digits, '-', '_', '.' and '%' (up to 63), e.g. name: memory-high");
            }
            else if (BuiltIn.Contains(name))
            {
                errors.Add($"{at}.name: '{name}' is a built-in rule's name; choose another, e.g. {name}-{service}");
            }
        }
        if (errors.Count > count || metric is null)
        {
            return null;
        }
        var direction = hasAbove ? "above" : "below";
        return new AlertRuleSpec
        {
            Name = name ?? $"{metric.Name}-{direction}-{text}".ToLowerInvariant(),
            Metric = metric.Name,
            Above = hasAbove,
            Threshold = threshold,
            ThresholdText = text,
            For = span,
            Severity = severity,
        };
    }

    private static (double Value, string Text) Threshold(JsonElement value, AlertMetric metric, string at, List<string> errors)
    {
        var text = (value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText()).Trim();
        switch (metric.Kind)
        {
            case AlertValueKind.Share:
                if (text.EndsWith('%') && double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var percent)
                    && percent is >= 0 and <= 1000 && double.IsFinite(percent))
                {
                    return (percent / 100, text);
                }
                errors.Add($"{at}: '{text}' is not a percentage; {metric.Name} is {metric.Meaning}, e.g. 80%");
                break;
            case AlertValueKind.Bytes:
                if (ByteSizeParser.TryParse(text, out var bytes) && bytes >= 0)
                {
                    return (bytes, text);
                }
                errors.Add($"{at}: '{text}' is not a size; {metric.Name} is {metric.Meaning}, e.g. 512M or 2G");
                break;
            case AlertValueKind.Duration:
                if (DurationParser.TryParse(text, out var duration) && duration >= TimeSpan.Zero)
                {
                    return (duration.TotalSeconds, text);
                }
                errors.Add($"{at}: '{text}' is not a duration; {metric.Name} is {metric.Meaning}, e.g. 300ms or 2s");
                break;
            default:
                if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && number >= 0 && double.IsFinite(number))
                {
                    return (number, text);
                }
                errors.Add($"{at}: '{text}' is not a number; {metric.Name} is {metric.Meaning}, e.g. {(metric.Name == "restarts" ? "3" : "100")}");
                break;
        }
        return (0, text);
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9._%-]{0,62}$")]
    private static partial Regex NamePattern();
}
