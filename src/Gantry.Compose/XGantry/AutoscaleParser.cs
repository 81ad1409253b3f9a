using System.Globalization;
using System.Text.Json;
using Cronos;
using Gantry.Model;
using Gantry.Model.Autoscaling;

namespace Gantry.Compose.XGantry;

/// <summary>
/// Reads `x-gantry: autoscale` into <see cref="AutoscaleSpec"/>. Every rule the autoscaler relies on is checked here, once,
/// so it never meets a policy it cannot follow: a target it could not measure (cpu without a CPU limit, requests without
/// routes), a schedule it could not read, or a scale to zero nothing could wake.
/// </summary>
public static class AutoscaleParser
{
    public const string Key = "autoscale";

    private static readonly string[] Keys = ["min", "max", "cpu", "memory", "rps", "p95", "scale-in-delay", "idle", "schedule"];
    private static readonly string[] FloorKeys = ["cron", "min", "for"];

    /// <summary>The policy, or null when the service has none; each problem is added to <paramref name="errors"/> as "path: what to write".</summary>
    public static AutoscaleSpec? Parse(ServiceSpec service, bool routed, List<string> errors)
    {
        if (GantryExtension.Section(service, Key) is not { } value)
        {
            return null;
        }
        var at = $"services.{service.Name}.{GantryExtension.Key}.{Key}";
        if (value.ValueKind != JsonValueKind.Object)
        {
            errors.Add($"{at}: expected a mapping such as {{min: 2, max: 10, cpu: 70%}}");
            return null;
        }
        foreach (var property in value.EnumerateObject().Where(p => !Keys.Contains(p.Name)))
        {
            errors.Add($"{at}.{property.Name}: unknown key; autoscale takes {string.Join(", ", Keys)}");
        }

        var min = Count(value, "min", 1, at, errors);
        var max = Count(value, "max", null, at, errors);
        if (max is null && !value.TryGetProperty("max", out _))
        {
            errors.Add($"{at}: max is missing; say the most replicas the service may run, e.g. max: 10");
        }
        else if (max is 0)
        {
            errors.Add($"{at}.max: 0 would never run the service; write at least 1");
        }
        if (min is { } lo && max is { } hi && lo > hi)
        {
            errors.Add($"{at}.min: {lo} is above max {hi}; write a min no higher than max, or raise max");
        }

        var spec = new AutoscaleSpec
        {
            Min = min ?? 1,
            Max = Math.Max(max ?? 1, 1),
            Cpu = Percent(value, "cpu", at, errors),
            Memory = Percent(value, "memory", at, errors),
            RequestsPerSecond = Positive(value, "rps", at, errors),
            P95 = PositiveDuration(value, "p95", null, at, errors),
            ScaleInDelay = PositiveDuration(value, "scale-in-delay", AutoscaleSpec.DefaultScaleInDelay, at, errors) ?? AutoscaleSpec.DefaultScaleInDelay,
            Idle = PositiveDuration(value, "idle", null, at, errors),
        };
        spec = spec with { Schedule = value.TryGetProperty("schedule", out var schedule) ? Schedule(schedule, spec.Max, $"{at}.schedule", errors) : [] };

        CheckTargets(spec, value, service, routed, at, errors);
        return spec;
    }

    /// <summary>The rules that tie the keys to each other and to the rest of the service.</summary>
    private static void CheckTargets(AutoscaleSpec spec, JsonElement value, ServiceSpec service, bool routed, string at, List<string> errors)
    {
        string[] targets = ["cpu", "memory", "rps", "p95"];
        if (!targets.Any(t => value.TryGetProperty(t, out _)))
        {
            errors.Add($"{at}: no target; give at least one of cpu (e.g. 70%), memory (e.g. 80%), rps (requests per second per replica, e.g. 100) or p95 (e.g. 300ms)");
        }
        if (spec.Cpu is not null && service.Resources.NanoCpus is null)
        {
            errors.Add($"{at}.cpu: a cpu target is a share of each replica's CPU limit, and {service.Name} has none; set deploy.resources.limits.cpus (e.g. '0.5'), or drop cpu");
        }
        if (spec.Memory is not null && service.Resources.MemoryLimitBytes is null)
        {
            errors.Add($"{at}.memory: a memory target is a share of each replica's memory limit, and {service.Name} has none; set deploy.resources.limits.memory (e.g. 512M), or drop memory");
        }
        foreach (var (key, set) in new[] { ("rps", spec.RequestsPerSecond is not null), ("p95", spec.P95 is not null) })
        {
            if (set && !routed)
            {
                errors.Add($"{at}.{key}: the routers measure {key}, and {service.Name} has no routes; add a host to x-gantry, or use a cpu or memory target");
            }
        }
        if (spec.Min == 0)
        {
            if (spec.Idle is null && !value.TryGetProperty("idle", out _))
            {
                errors.Add($"{at}.min: 0 scales the service to zero when idle; say after how long without a request with idle (e.g. idle: 10m)");
            }
            if (!routed)
            {
                errors.Add($"{at}.min: only the router sees the request that wakes a service at zero, and {service.Name} has no routes; add a host to x-gantry, or use min: 1");
            }
        }
        else if (value.TryGetProperty("idle", out _))
        {
            errors.Add($"{at}.idle: idle is how long before scaling to zero, which only min: 0 does; set min: 0, or drop idle");
        }
    }

    private static List<AutoscaleFloor> Schedule(JsonElement value, int max, string at, List<string> errors)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            errors.Add($"{at}: expected a list such as [{{cron: \"0 19 * * 5\", min: 8, for: 4h}}]");
            return [];
        }
        var floors = new List<AutoscaleFloor>();
        var i = 0;
        foreach (var item in value.EnumerateArray())
        {
            var here = $"{at}[{i++}]";
            if (item.ValueKind != JsonValueKind.Object)
            {
                errors.Add($"{here}: expected a mapping such as {{cron: \"0 19 * * 5\", min: 8, for: 4h}}");
                continue;
            }
            foreach (var property in item.EnumerateObject().Where(p => !FloorKeys.Contains(p.Name)))
            {
                errors.Add($"{here}.{property.Name}: unknown key; a schedule entry takes {string.Join(", ", FloorKeys)}");
            }
            var cron = Cron(item, here, errors);
            var min = Count(item, "min", null, here, errors);
            if (min is null && !item.TryGetProperty("min", out _))
            {
                errors.Add($"{here}: min is missing; say the fewest replicas while the entry holds, e.g. min: 8");
            }
            else if (min > max)
            {
                errors.Add($"{here}.min: {min} is above autoscale's max {max}; write at most {max}, or raise max");
            }
            var span = PositiveDuration(item, "for", null, here, errors);
            if (span is null && !item.TryGetProperty("for", out _))
            {
                errors.Add($"{here}: for is missing; say how long the floor holds after each occurrence, e.g. for: 4h");
            }
            if (cron is not null && min is { } floor && span is { } length)
            {
                floors.Add(new AutoscaleFloor(cron, floor, length));
            }
        }
        return floors;
    }

    private static string? Cron(JsonElement item, string at, List<string> errors)
    {
        if (!item.TryGetProperty("cron", out var value))
        {
            errors.Add($"{at}: cron is missing; say when the floor starts, e.g. cron: \"0 19 * * 5\" (Fridays at 19:00, the server's time zone)");
            return null;
        }
        var text = value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
        try
        {
            CronExpression.Parse(text, CronFormat.Standard);
            return text;
        }
        catch (CronFormatException e)
        {
            errors.Add($"{at}.cron: '{text}' is not a cron expression ({e.Message}); write five fields, minute hour day-of-month month day-of-week, e.g. \"0 19 * * 5\"");
            return null;
        }
    }

    /// <summary>A replica count: a whole number from 0; null when absent or wrong (reported).</summary>
    private static int? Count(JsonElement parent, string key, int? fallback, string at, List<string> errors)
    {
        if (!parent.TryGetProperty(key, out var value))
        {
            return fallback;
        }
        var text = value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var count))
        {
            return count;
        }
        errors.Add($"{at}.{key}: '{text}' is not a replica count; write a whole number from 0, e.g. {key}: 2");
        return null;
    }

    /// <summary>A share of a limit written as a percentage (1-100%), as a fraction. A bare number is refused: 70 and 0.7 would both look right.</summary>
    private static double? Percent(JsonElement parent, string key, string at, List<string> errors)
    {
        if (!parent.TryGetProperty(key, out var value))
        {
            return null;
        }
        var text = value.ValueKind == JsonValueKind.String ? value.GetString()!.Trim() : value.GetRawText();
        if (!text.EndsWith('%') || !double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var percent))
        {
            errors.Add($"{at}.{key}: '{text}' is not a percentage; write the share of the replica's {key} limit to aim for, e.g. {key}: 70%");
            return null;
        }
        if (percent is < 1 or > 100)
        {
            errors.Add($"{at}.{key}: {text} is out of range; write 1% to 100% of the replica's {key} limit");
            return null;
        }
        return percent / 100;
    }

    private static double? Positive(JsonElement parent, string key, string at, List<string> errors)
    {
        if (!parent.TryGetProperty(key, out var value))
        {
            return null;
        }
        var text = value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && number > 0 && double.IsFinite(number))
        {
            return number;
        }
        errors.Add($"{at}.{key}: '{text}' is not a positive number; write the requests per second one replica should serve, e.g. {key}: 100");
        return null;
    }

    private static TimeSpan? PositiveDuration(JsonElement parent, string key, TimeSpan? fallback, string at, List<string> errors)
    {
        if (!parent.TryGetProperty(key, out _))
        {
            return fallback;
        }
        var count = errors.Count;
        var duration = GantryExtensionParser.Duration(parent, key, TimeSpan.Zero, at, errors);
        if (errors.Count > count)
        {
            return fallback;
        }
        if (duration <= TimeSpan.Zero)
        {
            errors.Add($"{at}.{key}: must be longer than zero; write e.g. 300ms, 5m or 1h30m");
            return fallback;
        }
        return duration;
    }
}
