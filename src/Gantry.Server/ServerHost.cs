using Gantry.Controllers.Apps;
using Gantry.Controllers.Docker;
using Gantry.Controllers.Engine;
using Gantry.Docker;
using Gantry.Docker.Images;
using Gantry.Console;
using Gantry.Model.Api;
using Gantry.Server.Apps;
using Gantry.Server.Auth;
using Gantry.Server.Events;
using Gantry.Server.Hosting;
using Gantry.Server.Routing;
using Gantry.Server.Registry;
using Gantry.Registry;
using Gantry.Registry.Transport;
using Gantry.Store;
using Gantry.Store.Sqlite;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gantry.Server;

/// <summary>Builds and runs the control plane: store, engine driver, controllers and the REST API in one process.</summary>
public static class ServerHost
{
    /// <summary>Builds the server; the caller starts it (tests use this to run it in-process).</summary>
    public static async Task<WebApplication> BuildAsync(ServerOptions options, CancellationToken ct = default)
    {
        var data = DataDirectory.Open(options.DataDirectory);
        // No configuration file is watched: the default builder watches appsettings.json under the content root, which is
        // the working directory with its subdirectories, so every file written anywhere below it (logs, the data
        // directory) woke the process. Gantry reads no appsettings.json; the content root is the install directory.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ContentRootPath = AppContext.BaseDirectory,
            Args = ["--hostBuilder:reloadConfigOnChange=false"],
        });
        builder.WebHost.UseUrls(OwnRegistry.ListenUrls(options));
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = options.MaxBundleBytes + (1 << 20);
            // Plain-HTTP connections send straight to the socket, so registry blobs leave with sendfile(2) instead of a copy
            // through user space (docs/decisions/0012); TLS connections pass through untouched.
            k.ConfigureEndpointDefaults(listen => listen.UseSocketSendFile());
        });
        builder.Logging.ClearProviders();
        if (options.LogFile is { } logFile)
        {
            // Our own rotation: a redirected stdout file would grow until the disk is full.
            builder.Logging.AddProvider(new Gantry.Logging.RotatingFileLoggerProvider(
                new Gantry.Logging.RotatingFileOptions { Path = logFile, MaxBytes = options.LogMaxBytes, Keep = options.LogKeep }, TimeProvider.System));
        }
        else
        {
            builder.Logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
                o.UseUtcTimestamp = true;
            });
        }
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);

        var time = TimeProvider.System;
        var store = await SqliteResourceStore.OpenAsync(new SqliteStoreOptions { Path = data.StorePath }, time, ct).ConfigureAwait(false);
        var docker = options.DockerEndpoint is { Length: > 0 } endpoint
            ? new DockerClient(Cluster.EngineAddress.Parse(endpoint, options.EngineCertDirectory) is { Options: { } engineOptions }
                ? engineOptions
                : throw new ArgumentException(Cluster.EngineAddress.Parse(endpoint, options.EngineCertDirectory).Error), time)
            : DockerClient.FromEnvironment(time);

        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(options.Controller);
        builder.Services.AddSingleton(data);
        builder.Services.AddSingleton(time);
        builder.Services.AddSingleton<IResourceStore>(store);
        builder.Services.AddSingleton(store);
        builder.Services.AddSingleton(docker);
        // One driver whatever the engine: containers on a single engine, Swarm services once it is a Swarm manager (docs/decisions/0021).
        builder.Services.AddSingleton<IEngineDriver>(new Gantry.Controllers.Swarm.SwarmEngineDriver(docker, data.InstallationId,
            new DockerEngineDriver(docker, data.InstallationId, OwnRegistryCredentials(options, data)), time,
            connect: url => Cluster.EngineAddress.Parse(url, options.EngineCertDirectory) is { Options: { } node }
                ? new DockerEngineDriver(new DockerClient(node, time), data.InstallationId, time: time)
                : null,
            registry: new Gantry.Controllers.Swarm.SwarmRegistry(options.RegistryAddress, OwnRegistryCredentials(options, data))));
        builder.Services.AddSingleton<IAppEvents, StoreAppEvents>();
        builder.Services.AddSingleton<BuildOutput>();
        builder.Services.AddSingleton<ImageResolver>();
        builder.Services.AddSingleton<AppReconciler>();
        builder.Services.AddSingleton<Gantry.Controllers.Releases.ReleaseBook>();
        builder.Services.AddSingleton<Releases.RouterFleet>();
        builder.Services.AddSingleton<Gantry.Controllers.Releases.ITrafficGate>(sp => sp.GetRequiredService<Releases.RouterFleet>());
        builder.Services.AddSingleton<Releases.ReleaseService>();
        builder.Services.AddHostedService<Releases.AutoRollbackMonitor>();
        builder.Services.AddSingleton<AppController>();
        builder.Services.AddSingleton(Environments.SecretBox.OpenKeyFile(data.SecretKeyPath, time));
        builder.Services.AddSingleton(new Environments.SecretFiles(data.Root));
        builder.Services.AddSingleton<Environments.EnvironmentService>();
        builder.Services.AddSingleton<Environments.Previews>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<Environments.Previews>());
        builder.Services.AddSingleton<Environments.Promotion>();
        builder.Services.AddSingleton<Environments.AutoPromoter>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<Environments.AutoPromoter>());
        builder.Services.AddSingleton<DeployService>();
        builder.Services.AddSingleton<AppQuery>();
        builder.Services.AddSingleton<BundleDeployer>();
        builder.Services.AddSingleton<AppLogs>();
        builder.Services.AddSingleton<Releases.ReleaseQuery>();
        builder.Services.AddSingleton(sp => new Bundles.BundleStore(data.BundlesDirectory, options.BundleLimits, options.MaxBundleBytes,
            store, sp.GetRequiredService<ILogger<Bundles.BundleStore>>()));
        builder.Services.AddHostedService<Bundles.BundleCollector>();
        // The git remote (docs/decisions/0018): repositories, the http-backend CGI, pushes in progress and their deploys.
        builder.Services.AddSingleton(sp => new Git.GitRepositories(data.GitDirectory, sp.GetRequiredService<ILogger<Git.GitRepositories>>()));
        builder.Services.AddSingleton<Git.GitHttpBackend>();
        builder.Services.AddSingleton<Git.PushSessions>();
        builder.Services.AddSingleton<Git.PushRollout>();
        builder.Services.AddSingleton<Git.PushDeployer>();
        builder.Services.AddSingleton(options.Builds);
        builder.Services.AddSingleton<Builds.BuildService>();
        builder.Services.AddSingleton<Webhooks.WebhookService>();
        builder.Services.AddHostedService<ControllerService>();
        builder.Services.AddSingleton<Requests.RequestLog>();
        builder.Services.AddHostedService<Requests.RequestLogPruner>();
        // Disposed by the container after the hosted services stopped: the last samples are flushed then.
        builder.Services.AddSingleton(_ => new Metrics.MetricsStore(new Metrics.MetricsOptions { Directory = data.MetricsDirectory }, time));
        // The replicas' logs (Logs/README.md): disposed after the collector stopped, so the last lines are flushed then.
        builder.Services.AddSingleton(sp => new Logs.LogStore(new Logs.LogStoreOptions
        {
            Directory = data.ReplicaLogsDirectory,
            MaxBytes = options.LogRetentionBytes,
            MaxAge = options.LogRetentionAge,
        }, time, sp.GetRequiredService<ILogger<Logs.LogStore>>()));
        builder.Services.AddHostedService<Logs.LogCollector>();
        builder.Services.AddSingleton<Metrics.RequestTally>();
        builder.Services.AddSingleton<Metrics.SamplerPasses>();
        builder.Services.AddHostedService<Metrics.MetricsSampler>();
        builder.Services.AddSingleton<Apps.AppCatalog>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<Apps.AppCatalog>());
        builder.Services.AddSingleton<Autoscaling.AutoscaleBook>();
        builder.Services.AddSingleton<Autoscaling.AutoscaleController>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<Autoscaling.AutoscaleController>());
        builder.Services.AddSingleton(options.Alerts);
        builder.Services.AddSingleton<Alerts.WebhookNotifier>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<Alerts.WebhookNotifier>());
        builder.Services.AddSingleton<Alerts.RouterCertificates>();
        builder.Services.AddHostedService<Metrics.OtlpExport>();
        builder.Services.AddSingleton<Alerts.AlertController>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<Alerts.AlertController>());
        builder.Services.AddSingleton(options.Retention);
        builder.Services.AddSingleton<Storage.RetentionService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<Storage.RetentionService>());
        builder.Services.AddSingleton<Storage.DiskUsageService>();
        builder.Services.AddSingleton<UnroutedNodes>();
        builder.Services.AddSingleton<RouteTablePublisher>();
        builder.Services.AddSingleton<Cluster.NodeDrain>();
        builder.Services.AddSingleton<Cluster.NodeLiveness>();
        builder.Services.AddSingleton<Cluster.ClusterService>();
        builder.Services.AddSingleton<Cluster.NodeWatch>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<Cluster.NodeWatch>());
        builder.Services.AddSingleton<NodeRouters.RouterImage>();
        builder.Services.AddSingleton<NodeRouters.NodeRouterReconciler>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<NodeRouters.NodeRouterReconciler>());
        builder.Services.AddHostedService(sp => sp.GetRequiredService<RouteTablePublisher>());
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, ApiJsonContext.Default));
        builder.Services.AddOpenApi("v1");
        builder.Services.AddSingleton(options.Identity);
        builder.Services.AddSingleton(new Audit.AuditFeed(store));
        builder.Services.AddSingleton<IAuditLog>(sp => sp.GetRequiredService<Audit.AuditFeed>());
        builder.Services.AddSingleton(sp => new Identity.Authenticator(store, Sha256(data.AdminToken), Sha256(data.RouterToken), time));
        builder.Services.AddSingleton<Identity.IdentityService>();
        builder.Services.AddSingleton<Identity.PasswordSignIn>();
        // The web console: its pages reach the server's identity, apps, releases, deploys and logs only through these seams.
        builder.Services.AddGantryConsole(new DirectoryInfo(data.ConsoleKeysDirectory));
        builder.Services.AddSingleton<Gantry.Console.Sessions.IConsoleIdentity, Console.ConsoleIdentity>();
        builder.Services.AddSingleton<Gantry.Console.Apps.IConsoleApps, Console.ConsoleApps>();
        builder.Services.AddSingleton<Gantry.Console.Releases.IConsoleReleases, Console.ConsoleReleases>();
        builder.Services.AddSingleton<Gantry.Console.Deploys.IConsoleDeploys, Console.ConsoleDeploys>();
        builder.Services.AddSingleton<Gantry.Console.Logs.IConsoleLogs, Console.ConsoleLogs>();
        builder.Services.AddSingleton<Gantry.Console.Settings.IConsoleSettings, Console.ConsoleSettings>();
        builder.Services.AddSingleton<Gantry.Console.Traffic.IConsoleTraffic, Console.ConsoleTraffic>();
        builder.Services.AddSingleton<Gantry.Console.Registry.IConsoleRegistry, Console.ConsoleRegistry>();
        builder.Services.AddSingleton<Gantry.Console.Cluster.IConsoleCluster, Console.ConsoleCluster>();
        builder.Services.AddSingleton<Gantry.Console.Live.IConsoleLive, Console.ConsoleLive>();
        builder.Services.AddSingleton<IRegistryCredentialValidator, GantryTokenValidator>();
        // One count of failed authentications for the API and the registry: guesses on one do not start afresh on the other.
        builder.Services.AddSingleton(new Gantry.Registry.Auth.AuthFailureLimiter(time));
        builder.Services.AddSingleton<IRegistryEventSink, RedeployOnPush>();
        builder.Services.AddSingleton<IRegistryEventSink, Audit.RegistryAuditSink>();
        builder.Services.AddSingleton<RegistryLiveSink>();
        builder.Services.AddSingleton<IRegistryEventSink>(sp => sp.GetRequiredService<RegistryLiveSink>());
        builder.Services.AddSingleton<RegistryService>();
        builder.Services.AddGantryRegistry(new RegistryOptions
        {
            RootDirectory = data.RegistryDirectory,
            TokenSigningKey = data.RegistrySigningKey,
        });

        var app = builder.Build();
        var serverLog = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Gantry.Server");
        // The "default" team and the user "admin" (password: the admin token) on first start.
        await app.Services.GetRequiredService<Identity.IdentityService>().EnsureBootstrapAsync(data.AdminToken, ct).ConfigureAwait(false);
        // Before any hosted service starts: the controller and the route table read only upgraded specs.
        if (await Storage.StoredSpecUpgrade.RunAsync(store, ct).ConfigureAwait(false) is var upgraded and > 0)
        {
            Hosting.ServerLog.SpecsUpgraded(serverLog, upgraded);
        }
        // Before the controller starts replicas: secret files live in memory and are gone after a reboot (docs/decisions/0024).
        var (resealed, unreadable) = await app.Services.GetRequiredService<Environments.EnvironmentService>().RestoreAsync(ct).ConfigureAwait(false);
        if (resealed > 0)
        {
            Hosting.ServerLog.SecretsResealed(serverLog, resealed);
        }
        if (unreadable.Count > 0)
        {
            Hosting.ServerLog.SecretsUnreadable(serverLog, string.Join(", ", unreadable));
        }
        // Before any push: builds the last process left queued or running ended with it.
        await app.Services.GetRequiredService<Builds.BuildService>().RecoverAsync(ct).ConfigureAwait(false);
        app.UseExceptionHandler(errors => errors.Run(async context =>
        {
            // Never an exception type, stack trace or source line to the client: the log has them under the
            // correlation id, the client gets the one error shape with that id to quote.
            var error = context.Features.Get<IExceptionHandlerFeature>()?.Error;
            var correlationId = context.TraceIdentifier;
            var (status, title, detail) = error switch
            {
                EngineException e => (StatusCodes.Status503ServiceUnavailable, "Engine unavailable", $"the container engine did not answer: {e.Message}"),
                StoreException e => (StatusCodes.Status409Conflict, "Conflict", e.Message),
                BadHttpRequestException e => (e.StatusCode, "Bad request", e.Message),
                _ => (StatusCodes.Status500InternalServerError, "Internal error", $"the server failed to handle this request; its log has the details under correlation id {correlationId}"),
            };
            if (status >= 500)
            {
                Hosting.ServerLog.RequestFailed(serverLog, context.Request.Method, context.Request.Path, correlationId, error);
            }
            await ApiResults.WriteProblemAsync(context, new ApiProblem($"https://gantry.dev/errors/{title.ToLowerInvariant().Replace(' ', '-')}", title, status)
            {
                Detail = detail,
                CorrelationId = correlationId,
            }).ConfigureAwait(false);
        }));
        // Routing first, so the audit and the access check see which endpoint (and which app) a request is for.
        app.UseRouting();
        app.UseMiddleware<Audit.AuditMiddleware>();
        app.UseMiddleware<AccessMiddleware>();
        // The console's cookie session, for the console's paths only (AccessMiddleware leaves those to it).
        app.UseGantryConsole();
        app.MapGet("/healthz", () => Results.Text("ok\n")).Access(AccessKind.Public);
        app.MapOpenApi("/api/v1/openapi.json").Access(AccessKind.AnyUser);
        Identity.IdentityEndpoints.MapIdentityEndpoints(app);
        Audit.AuditEndpoints.MapAuditEndpoints(app);
        app.MapAppEndpoints();
        app.MapRouteEndpoints();
        Requests.RequestEndpoints.MapRequestEndpoints(app);
        Metrics.MetricsEndpoints.MapMetricsEndpoints(app);
        Autoscaling.AutoscaleEndpoints.MapAutoscaleEndpoints(app);
        Alerts.AlertEndpoints.MapAlertEndpoints(app);
        Metrics.PrometheusEndpoint.MapPrometheusEndpoint(app);
        Releases.ReleaseEndpoints.MapReleaseEndpoints(app);
        Storage.SystemEndpoints.MapSystemEndpoints(app);
        Cluster.ClusterEndpoints.MapClusterEndpoints(app);
        Git.GitEndpoints.MapGitEndpoints(app);
        Environments.EnvironmentEndpoints.MapEnvironmentEndpoints(app);
        Builds.BuildEndpoints.MapBuildEndpoints(app);
        Webhooks.WebhookEndpoints.MapWebhookEndpoints(app);
        app.MapRegistryEndpoints();
        app.MapGantryRegistry();
        app.MapGantryConsole();
        app.Lifetime.ApplicationStopped.Register(() =>
        {
            docker.Dispose();
            store.DisposeAsync().AsTask().GetAwaiter().GetResult();
        });
        return app;
    }

    /// <summary>The engine pulls images pushed to this server's registry with the admin token, under any of the names the server answers to.</summary>
    private static Func<string, RegistryAuth?> OwnRegistryCredentials(ServerOptions options, DataDirectory data) =>
        image => OwnRegistry.PrefixOf(image, options) is { } prefix
            ? new RegistryAuth { Username = "gantry", Password = data.AdminToken, ServerAddress = prefix.TrimEnd('/') }
            : null;

    private static byte[] Sha256(string token) => System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token));

    /// <summary>Runs the server until <paramref name="ct"/> is cancelled or the process is asked to stop.</summary>
    public static async Task RunAsync(ServerOptions options, CancellationToken ct)
    {
        var app = await BuildAsync(options, ct).ConfigureAwait(false);
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Gantry.Server");
        var data = app.Services.GetRequiredService<DataDirectory>();
        Hosting.ServerLog.Starting(logger, options.Listen, data.Root, data.AdminTokenPath);
        await app.StartAsync(ct).ConfigureAwait(false);
        await app.WaitForShutdownAsync(ct).ConfigureAwait(false);
    }
}
