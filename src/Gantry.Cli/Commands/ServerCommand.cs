using System.CommandLine;
using System.Globalization;
using Gantry.Logging;
using Gantry.Server;

namespace Gantry.Cli.Commands;

/// <summary>`gantry server`: runs the control plane (API, controllers, store) in the foreground until stopped.</summary>
public static class ServerCommand
{
    public static Command Create(CliContext context)
    {
        var data = new Option<string>("--data") { Description = "Data directory (store, admin token, bundles); default $GANTRY_DATA or /var/lib/gantry" };
        var listen = new Option<string>("--listen") { Description = "API address; default $GANTRY_LISTEN or http://127.0.0.1:7070" };
        var docker = new Option<string>("--engine", "--docker")
        {
            Description = "The Docker engine the server drives: unix:///path, tcp://HOST:2375 or https://HOST:2376 (a Swarm manager for a cluster); "
                + "default $DOCKER_HOST or unix:///var/run/docker.sock",
        };
        var engineCerts = new Option<string>("--engine-cert-path")
        {
            Description = "Directory with ca.pem, cert.pem and key.pem for engines reached over TLS (this one and the nodes `gantry node add` joins); default $DOCKER_CERT_PATH",
        };
        var registryAddress = new Option<string>("--registry-address")
        {
            Description = "HOST:PORT at which a cluster's nodes reach this server's registry: images only the manager has are pushed there and "
                + "named by digest (the nodes' engines must trust it: TLS, or --insecure-registry); default $GANTRY_REGISTRY_ADDRESS or none",
            HelpName = "host:port",
        };
        var allowHostPath = new Option<string[]>("--allow-host-path")
        {
            Description = "Absolute host path deploys may bind or read outside their project (repeatable; everything below it too; "
                + "the Docker socket and / only by exact path); default $GANTRY_ALLOW_HOST_PATHS (':'-separated) or none",
        };
        var allowPrivilege = new Option<string[]>("--allow-privilege")
        {
            Description = "App whose compose files may use privileged keys (cap_add, privileged, devices, security_opt, network_mode/pid/ipc/userns_mode host; "
                + "repeatable; '*' for every app); default $GANTRY_ALLOW_PRIVILEGE (','-separated) or none",
        };
        var alertWebhook = new Option<string[]>("--alert-webhook")
        {
            Description = "URL every alert (firing, repeated, resolved) is posted to as JSON, or with a slack+ prefix (slack+https://hooks.slack.com/...) "
                + "in Slack's shape; repeatable; default $GANTRY_ALERT_WEBHOOKS (space- or comma-separated) or none",
        };
        var logRetentionSize = new Option<string>("--log-retention-size")
        {
            Description = "The most the replicas' log store keeps on disk (compressed); the oldest lines go first; default $GANTRY_LOG_RETENTION_SIZE or 1G",
            HelpName = "size",
        };
        var logRetentionAge = new Option<string>("--log-retention-age")
        {
            Description = "How long the replicas' log lines are kept (e.g. 12h, 7d, 30d); default $GANTRY_LOG_RETENTION_AGE or 7d",
            HelpName = "duration",
        };
        var pushEnvironment = new Option<string>("--push-environment")
        {
            Description = "The environment a git push of main (or master) deploys to; default $GANTRY_PUSH_ENVIRONMENT or staging (production deploys the app itself)",
            HelpName = "env",
        };
        var previewDomain = new Option<string>("--preview-domain")
        {
            Description = "A push of a branch other than main deploys a preview at BRANCH.APP.DOMAIN; default $GANTRY_PREVIEW_DOMAIN or localhost; '' turns previews off",
            HelpName = "domain",
        };
        var previewIdle = new Option<string>("--preview-idle")
        {
            Description = "A preview whose branch was not pushed for this long is removed (e.g. 3d, 12h); default $GANTRY_PREVIEW_IDLE or 7d",
            HelpName = "duration",
        };
        var otlpEndpoint = new Option<string>("--otlp-endpoint")
        {
            Description = "Also push every metric of GET /metrics to this OpenTelemetry collector over OTLP (http://collector:4318 for HTTP, "
                + "http://collector:4317 with --otlp-protocol grpc); default $GANTRY_OTLP_ENDPOINT or none",
            HelpName = "url",
        };
        var otlpProtocol = new Option<string>("--otlp-protocol") { Description = "http/protobuf (default) or grpc", HelpName = "protocol" };
        var otlpInterval = new Option<string>("--otlp-interval") { Description = "Time between two OTLP exports; default 60s", HelpName = "duration" };
        var buildCpus = new Option<string>("--build-cpus") { Description = "CPUs each build may use (e.g. 1, 1.5); default $GANTRY_BUILD_CPUS or 1", HelpName = "cpus" };
        var buildMemory = new Option<string>("--build-memory")
        {
            Description = "Memory each build step may use, no swap beyond it (e.g. 512M, 2G); default $GANTRY_BUILD_MEMORY or 1G",
            HelpName = "size",
        };
        var buildTimeout = new Option<string>("--build-timeout") { Description = "How long one build may run before it is stopped (e.g. 10m, 1h); default $GANTRY_BUILD_TIMEOUT or 20m", HelpName = "duration" };
        var buildConcurrency = new Option<string>("--build-concurrency") { Description = "Builds run at once; the others queue; default $GANTRY_BUILD_CONCURRENCY or 1", HelpName = "count" };
        var buildLogSize = new Option<string>("--build-log-size") { Description = "The most of one build's log kept; default $GANTRY_BUILD_LOG_SIZE or 1M", HelpName = "size" };
        var buildRetention = new Option<string>("--build-retention") { Description = "Finished builds (and logs) kept per app; default $GANTRY_BUILD_RETENTION or 20", HelpName = "count" };
        var advertiseUrl = new Option<string>("--advertise-url")
        {
            Description = "The server's URL as the Swarm's nodes reach it (e.g. http://10.99.0.1:7070): Gantry then runs a router on every node; default $GANTRY_ADVERTISE_URL",
            HelpName = "url",
        };
        var nodeRouterPort = new Option<string>("--node-router-port") { Description = "The port each node publishes to its router; default 80", HelpName = "port" };
        var logFile = new LogFileOptions();
        var command = new Command("server", "Run the Gantry server (control plane) in the foreground")
        {
            data, listen, docker, engineCerts, registryAddress, advertiseUrl, nodeRouterPort, allowHostPath, allowPrivilege, alertWebhook, logRetentionSize, logRetentionAge, otlpEndpoint, otlpProtocol, otlpInterval, pushEnvironment,
            previewDomain, previewIdle,
            buildCpus, buildMemory, buildTimeout, buildConcurrency, buildLogSize, buildRetention,
        };
        logFile.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var options = new ServerOptions
            {
                DataDirectory = parse.GetValue(data) ?? context.GetEnvironmentVariable("GANTRY_DATA") ?? "/var/lib/gantry",
                Listen = parse.GetValue(listen) ?? context.GetEnvironmentVariable("GANTRY_LISTEN") ?? "http://127.0.0.1:7070",
                DockerEndpoint = Engine(parse.GetValue(docker), parse.GetValue(engineCerts) ?? context.GetEnvironmentVariable("DOCKER_CERT_PATH")),
                EngineCertDirectory = parse.GetValue(engineCerts) ?? context.GetEnvironmentVariable("DOCKER_CERT_PATH"),
                RegistryAddress = RegistryAddress(parse.GetValue(registryAddress) ?? context.GetEnvironmentVariable("GANTRY_REGISTRY_ADDRESS")),
                AllowedHostPaths = AllowedHostPaths(parse.GetValue(allowHostPath), context.GetEnvironmentVariable("GANTRY_ALLOW_HOST_PATHS")),
                AllowPrivilege = AllowPrivilege(parse.GetValue(allowPrivilege), context.GetEnvironmentVariable("GANTRY_ALLOW_PRIVILEGE")),
                BundleLimits = Gantry.Server.Bundles.BundleLimits.FromEnvironment(context.GetEnvironmentVariable),
                Alerts = new Gantry.Server.Alerts.AlertOptions { Webhooks = AlertWebhooks(parse.GetValue(alertWebhook), context.GetEnvironmentVariable("GANTRY_ALERT_WEBHOOKS")) },
                LogRetentionBytes = LogFileOptions.Size(parse.GetValue(logRetentionSize) ?? context.GetEnvironmentVariable("GANTRY_LOG_RETENTION_SIZE"), "--log-retention-size") ?? 1L << 30,
                LogRetentionAge = RetentionAge(parse.GetValue(logRetentionAge) ?? context.GetEnvironmentVariable("GANTRY_LOG_RETENTION_AGE")),
                Otlp = Otlp(parse.GetValue(otlpEndpoint) ?? context.GetEnvironmentVariable("GANTRY_OTLP_ENDPOINT"), parse.GetValue(otlpProtocol), parse.GetValue(otlpInterval)),
                NodeRouters = NodeRouters(parse.GetValue(advertiseUrl) ?? context.GetEnvironmentVariable("GANTRY_ADVERTISE_URL"), parse.GetValue(nodeRouterPort)),
                PushEnvironment = PushEnvironment(parse.GetValue(pushEnvironment) ?? context.GetEnvironmentVariable("GANTRY_PUSH_ENVIRONMENT")),
                PreviewDomain = PreviewDomain(parse.GetValue(previewDomain) ?? context.GetEnvironmentVariable("GANTRY_PREVIEW_DOMAIN")),
                PreviewIdle = PreviewIdle(parse.GetValue(previewIdle) ?? context.GetEnvironmentVariable("GANTRY_PREVIEW_IDLE")),
                Builds = Builds(
                    parse.GetValue(buildCpus) ?? context.GetEnvironmentVariable("GANTRY_BUILD_CPUS"),
                    parse.GetValue(buildMemory) ?? context.GetEnvironmentVariable("GANTRY_BUILD_MEMORY"),
                    parse.GetValue(buildTimeout) ?? context.GetEnvironmentVariable("GANTRY_BUILD_TIMEOUT"),
                    parse.GetValue(buildConcurrency) ?? context.GetEnvironmentVariable("GANTRY_BUILD_CONCURRENCY"),
                    parse.GetValue(buildLogSize) ?? context.GetEnvironmentVariable("GANTRY_BUILD_LOG_SIZE"),
                    parse.GetValue(buildRetention) ?? context.GetEnvironmentVariable("GANTRY_BUILD_RETENTION")),
            };
            if (logFile.Read(parse) is { } log)
            {
                options = options with { LogFile = log.Path, LogMaxBytes = log.MaxBytes, LogKeep = log.Keep };
            }
            await ServerHost.RunAsync(options, ct).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>
    /// `--registry-address`: HOST or HOST:PORT as it goes into image references (no scheme, no path: an engine names a registry
    /// by its host alone); null when not given.
    /// </summary>
    public static string? RegistryAddress(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        var address = value.Trim();
        if (address.Contains("://", StringComparison.Ordinal) || address.Contains('/', StringComparison.Ordinal)
            || !Uri.TryCreate("http://" + address, UriKind.Absolute, out var parsed) || parsed.Authority.Length == 0 || address.Contains('@', StringComparison.Ordinal))
        {
            throw new CliException(ExitCodes.Usage, $"--registry-address '{value}' is not HOST:PORT as the nodes' engines name the registry; use e.g. 10.99.0.1:7070");
        }
        return address.ToLowerInvariant();
    }

    /// <summary>The node routers' options (docs/decisions/0029); a URL or port that cannot work is refused, named with its option.</summary>
    public static Gantry.Server.NodeRouters.NodeRouterOptions NodeRouters(string? advertiseUrl, string? port)
    {
        Uri? url = null;
        if (!string.IsNullOrWhiteSpace(advertiseUrl))
        {
            if (!Uri.TryCreate(advertiseUrl.Trim(), UriKind.Absolute, out url) || url.Scheme is not ("http" or "https") || url.Host is "127.0.0.1" or "localhost" or "0.0.0.0" or "::1" or "[::1]")
            {
                throw new CliException(ExitCodes.Usage,
                    $"--advertise-url '{advertiseUrl}' is not a URL the nodes can reach: write http://ADDRESS:PORT with an address of this machine on the nodes' network, e.g. http://10.99.0.1:7070");
            }
        }
        var published = 80;
        if (port is not null && (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out published) || published is < 1 or > 65535))
        {
            throw new CliException(ExitCodes.Usage, $"--node-router-port '{port}' is not a port: 1-65535, e.g. 80 or 8080");
        }
        return new Gantry.Server.NodeRouters.NodeRouterOptions { AdvertiseUrl = url, Port = published };
    }

    /// <summary>The builds' limits, queue and retention; each value that cannot be read or used is refused, named with its option.</summary>
    public static Gantry.Server.Builds.BuildOptions Builds(string? cpus, string? memory, string? timeout, string? concurrency, string? logSize, string? retention)
    {
        var defaults = new Gantry.Server.Builds.BuildOptions();
        var options = defaults with
        {
            Cpus = cpus is null ? defaults.Cpus
                : double.TryParse(cpus, NumberStyles.Float, CultureInfo.InvariantCulture, out var c) && double.IsFinite(c) ? c
                : throw new CliException(ExitCodes.Usage, $"--build-cpus '{cpus}' is not a number of CPUs; use e.g. 1 or 1.5"),
            MemoryBytes = memory is null ? defaults.MemoryBytes
                : ByteSize.Parse(memory) ?? throw new CliException(ExitCodes.Usage, $"--build-memory '{memory}' is not a size; use e.g. 512M or 2G"),
            Timeout = timeout is null ? defaults.Timeout
                : Gantry.Server.Metrics.MetricsQuery.ParseDuration(timeout) ?? throw new CliException(ExitCodes.Usage, $"--build-timeout '{timeout}' is not a duration; use e.g. 90s, 10m or 1h"),
            Concurrency = concurrency is null ? defaults.Concurrency
                : int.TryParse(concurrency, NumberStyles.None, CultureInfo.InvariantCulture, out var k) ? k
                : throw new CliException(ExitCodes.Usage, $"--build-concurrency '{concurrency}' is not a whole number; use e.g. 1 or 2"),
            LogMaxBytes = logSize is null ? defaults.LogMaxBytes
                : ByteSize.Parse(logSize) ?? throw new CliException(ExitCodes.Usage, $"--build-log-size '{logSize}' is not a size; use e.g. 1M or 512K"),
            Keep = retention is null ? defaults.Keep
                : int.TryParse(retention, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n
                : throw new CliException(ExitCodes.Usage, $"--build-retention '{retention}' is not a whole number of builds; use e.g. 20"),
        };
        var errors = options.Validate();
        return errors.Count == 0 ? options : throw new CliException(ExitCodes.Usage, string.Join("; ", errors));
    }

    // A URL the server could not use is refused before anything starts, with the value named.
    private static string? Engine(string? url, string? certDirectory)
    {
        if (url is null)
        {
            return null;
        }
        var (_, error) = Gantry.Server.Cluster.EngineAddress.Parse(url, certDirectory);
        return error is null ? url : throw new CliException(ExitCodes.Usage, "--engine: " + error);
    }

    private static string PushEnvironment(string? value) => value switch
    {
        null => Gantry.Model.Environments.EnvironmentNames.DefaultPushEnvironment,
        _ when Gantry.Model.Environments.EnvironmentNames.IsValid(value) => value,
        _ => throw new CliException(ExitCodes.Usage, $"--push-environment '{value}' is not an environment name: lower-case letters and digits, starting with a letter (e.g. staging)"),
    };

    public static string PreviewDomain(string? value)
    {
        if (value is null)
        {
            return "localhost";
        }
        var domain = value.Trim().Trim('.').ToLowerInvariant();
        return domain.Length == 0 || (domain.Length <= 200 && domain.Split('.').All(label => label.Length is > 0 and <= 63
                && label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-') && label[0] != '-' && label[^1] != '-'))
            ? domain
            : throw new CliException(ExitCodes.Usage, $"--preview-domain '{value}' is not a domain name: use e.g. preview.example.com (with a wildcard DNS record) or localhost");
    }

    public static TimeSpan PreviewIdle(string? value) =>
        value is null ? TimeSpan.FromDays(7)
        : Gantry.Server.Metrics.MetricsQuery.ParseDuration(value) is { } idle && idle >= TimeSpan.FromMinutes(1) ? idle
        : throw new CliException(ExitCodes.Usage, $"--preview-idle '{value}' is not a duration of a minute or more; use e.g. 12h or 7d");

    // An entry that is not an app name (or '*') could never match a deploy: refuse it rather than allow nothing silently.
    private static List<string> AllowPrivilege(string[]? flags, string? environment)
    {
        var apps = flags is { Length: > 0 } ? flags : (environment ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var app in apps)
        {
            if (app != "*" && !Gantry.Model.Names.IsValidAppName(app))
            {
                throw new CliException(ExitCodes.Usage, $"--allow-privilege '{app}' is not an app name: name an app (lower-case letters, digits, '-' and '_') or '*' for every app");
            }
        }
        return [.. apps];
    }

    private static TimeSpan RetentionAge(string? text)
    {
        if (text is null)
        {
            return TimeSpan.FromDays(7);
        }
        return Gantry.Server.Metrics.MetricsQuery.ParseDuration(text) is { } age && age >= TimeSpan.FromMinutes(1)
            ? age
            : throw new CliException(ExitCodes.Usage, $"--log-retention-age '{text}' is not a duration of a minute or more; use e.g. 12h, 7d or 30d");
    }

    private static Gantry.Server.Metrics.OtlpOptions? Otlp(string? endpoint, string? protocol, string? interval)
    {
        TimeSpan? every = null;
        if (interval is not null)
        {
            every = Gantry.Server.Metrics.MetricsQuery.ParseDuration(interval)
                ?? throw new CliException(ExitCodes.Usage, $"--otlp-interval '{interval}' is not a duration; use e.g. 15s, 1m");
        }
        var (options, error) = Gantry.Server.Metrics.OtlpOptions.Parse(endpoint, protocol, every);
        return error is null ? options : throw new CliException(ExitCodes.Usage, error);
    }

    private static List<Gantry.Server.Alerts.AlertWebhook> AlertWebhooks(string[]? flags, string? environment)
    {
        var entries = flags is { Length: > 0 } ? flags : (environment ?? "").Split([' ', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var (webhooks, error) = Gantry.Server.Alerts.AlertOptions.ParseWebhooks(entries);
        return error is null ? webhooks : throw new CliException(ExitCodes.Usage, "--alert-webhook: " + error);
    }

    // A relative entry would depend on where the server was started: refuse it rather than guess.
    private static List<string> AllowedHostPaths(string[]? flags, string? environment)
    {
        var paths = flags is { Length: > 0 } ? flags : (environment ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var path in paths)
        {
            if (!Path.IsPathRooted(path))
            {
                throw new CliException(ExitCodes.Usage, $"--allow-host-path '{path}' is not an absolute path; write it from the root, such as /srv/backups");
            }
        }
        return paths.Select(Path.GetFullPath).ToList();
    }
}
