using System.CommandLine;
using Gantry.Cli.Commands;

namespace Gantry.Cli;

/// <summary>The `gantry` entry point: builds the verb tree, runs one verb, and turns every failure into a message and an exit code.</summary>
public static class Program
{
    public static Task<int> Main(string[] args) => RunAsync(args, CliContext.FromConsole());

    /// <summary>Every verb, one file each in Commands/. Add a verb by adding its Create call here.</summary>
    public static IReadOnlyList<Command> Verbs(CliContext context) =>
    [
        LoginCommand.Create(context),
        DeployCommand.Create(context),
        AppsCommand.Create(context),
        PsCommand.Create(context),
        LogsCommand.Create(context),
        ScaleCommand.Create(context),
        EventsCommand.Create(context),
        RoutesCommand.Create(context),
        RequestsCommand.Create(context),
        MetricsCommand.Create(context),
        AutoscaleCommand.Create(context),
        AlertsCommand.Create(context),
        ReleasesCommand.Create(context),
        BuildsCommand.Create(context),
        BuildCommand.Create(context),
        ReleaseCommand.Create(context),
        RollbackCommand.Create(context),
        EnvCommand.Create(context),
        VarsCommand.Create(context),
        SecretsCommand.Create(context),
        SourceCommand.Create(context),
        PromoteCommand.Create(context),
        PipelinesCommand.Create(context),
        RmCommand.Create(context),
        SystemCommand.Create(context),
        WhoAmICommand.Create(context),
        UsersCommand.Create(context),
        TeamsCommand.Create(context),
        TokensCommand.Create(context),
        AuditCommand.Create(context),
        ClusterCommand.Create(context),
        NodesCommand.Create(context),
        NodeCommand.Create(context),
        RegistryCommand.Create(context),
        VersionCommand.Create(context),
        ServerCommand.Create(context),
        RouterCommand.Create(context),
        GitHookCommand.Create(context),
    ];

    public static RootCommand BuildRoot(CliContext context)
    {
        var root = new RootCommand("Gantry: deploy compose apps to your own servers and watch them run.");
        root.Add(SharedOptions.Server);
        foreach (var verb in Verbs(context))
        {
            root.Add(verb);
        }
        return root;
    }

    public static async Task<int> RunAsync(string[] args, CliContext context, CancellationToken cancellationToken = default)
    {
        var parse = BuildRoot(context).Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                await context.Error.WriteLineAsync($"error: {error.Message}").ConfigureAwait(false);
            }
            var verb = parse.CommandResult.Command is RootCommand ? "" : parse.CommandResult.Command.Name + " ";
            await context.Error.WriteLineAsync($"run `gantry {verb}--help` for usage").ConfigureAwait(false);
            return ExitCodes.Usage;
        }
        var invocation = new InvocationConfiguration
        {
            Output = context.Out,
            Error = context.Error,
            EnableDefaultExceptionHandler = false,
        };
        try
        {
            return await parse.InvokeAsync(invocation, cancellationToken).ConfigureAwait(false);
        }
        catch (CliException ex)
        {
            foreach (var diagnostic in ex.Diagnostics)
            {
                await context.Error.WriteLineAsync(diagnostic.ToString()).ConfigureAwait(false);
            }
            await context.Error.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
            return ex.ExitCode;
        }
        catch (OperationCanceledException)
        {
            await context.Error.WriteLineAsync("interrupted; anything already sent to the server carries on there").ConfigureAwait(false);
            return ExitCodes.Failed;
        }
        catch (Exception ex) when (string.IsNullOrEmpty(context.GetEnvironmentVariable("GANTRY_DEBUG")))
        {
            // A bug in the CLI, not a user error: one line, and the way to see more.
            await context.Error.WriteLineAsync($"error: unexpected {ex.GetType().Name}: {ex.Message} (set GANTRY_DEBUG=1 for the stack trace)").ConfigureAwait(false);
            return ExitCodes.Failed;
        }
    }
}
