using System.Globalization;

namespace Gantry.LoadGen.CommandLine;

/// <summary>The command line of `gantry-loadgen`, parsed; <see cref="Parse"/> names the bad option and the fix.</summary>
public sealed record LoadGenArguments(LoadOptions Load, TimeSpan Duration)
{
    public const string Usage =
        "usage: gantry-loadgen --url URL [--host HOST] [--concurrency N] [--duration 30s] [--marker REGEX] [--timeout 10s]";

    /// <summary>Parses <paramref name="args"/>; throws <see cref="FormatException"/> with a message fit for the user.</summary>
    public static LoadGenArguments Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        string[] known = ["--url", "--host", "--concurrency", "--duration", "--marker", "--timeout"];
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            var inline = name.IndexOf('=', StringComparison.Ordinal);
            string? value = null;
            if (name.StartsWith("--", StringComparison.Ordinal) && inline > 0)
            {
                value = name[(inline + 1)..];
                name = name[..inline];
            }
            if (!known.Contains(name))
            {
                throw new FormatException($"unknown option '{name}'; {Usage}");
            }
            if (value is null)
            {
                if (i + 1 >= args.Count)
                {
                    throw new FormatException($"{name} needs a value; {Usage}");
                }
                value = args[++i];
            }
            values[name] = value;
        }
        if (!values.TryGetValue("--url", out var urlText))
        {
            throw new FormatException($"--url is required, e.g. --url http://127.0.0.1:8080/; {Usage}");
        }
        if (!Uri.TryCreate(urlText, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            throw new FormatException($"--url '{urlText}' is not an absolute http(s) URL; use e.g. http://127.0.0.1:8080/");
        }
        var concurrency = 16;
        if (values.TryGetValue("--concurrency", out var concurrencyText)
            && (!int.TryParse(concurrencyText, NumberStyles.None, CultureInfo.InvariantCulture, out concurrency) || concurrency < 1))
        {
            throw new FormatException($"--concurrency '{concurrencyText}' is not a whole number of at least 1, e.g. --concurrency 16");
        }
        var duration = ReadDuration("--duration", values, TimeSpan.FromSeconds(30));
        var timeout = ReadDuration("--timeout", values, TimeSpan.FromSeconds(10));
        var marker = values.GetValueOrDefault("--marker");
        var options = new LoadOptions
        {
            Url = url,
            Host = values.GetValueOrDefault("--host"),
            Concurrency = concurrency,
            MarkerPattern = marker,
            Timeout = timeout,
        };
        try
        {
            options.Validate();
        }
        catch (ArgumentException e)
        {
            throw new FormatException(e.Message, e);
        }
        return new LoadGenArguments(options, duration);
    }

    private static TimeSpan ReadDuration(string name, Dictionary<string, string> values, TimeSpan fallback)
    {
        if (!values.TryGetValue(name, out var text))
        {
            return fallback;
        }
        return DurationText.Parse(text) is { } duration && duration > TimeSpan.Zero
            ? duration
            : throw new FormatException($"{name} '{text}' is not a duration; use e.g. 500ms, 30s or 2m");
    }
}
