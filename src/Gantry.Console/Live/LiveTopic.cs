namespace Gantry.Console.Live;

/// <summary>What a live page follows: each is one feed of changes the server already has (no timer, no store poll).</summary>
public enum LiveTopic
{
    /// <summary>The Apps page: the store's watch of apps (through the server's app catalog) and, on a Swarm, the manager's node events.</summary>
    Apps,

    /// <summary>The Registry page: pushes and deletes in repositories the user may pull, and garbage-collection runs.</summary>
    Registry,

    /// <summary>A repository's page: pushes and deletes in that repository (retention's included).</summary>
    Repository,

    /// <summary>The Settings pages (admins): every entry appended to the audit log, which every change of users, teams and tokens writes.</summary>
    Audit,

    /// <summary>An app's page (services, replicas, usage, routes): the app's own changes in the store and the sampler's passes.</summary>
    App,

    /// <summary>An app's Releases page: the app's own changes in the store (a deploy, a rollback, a verdict, a canary step).</summary>
    Releases,

    /// <summary>An app's Requests page: the routers' reports of the app's requests as they arrive (every 2 s at most, while there is traffic).</summary>
    Requests,

    /// <summary>An app's Metrics page: the sampler's passes (every 10 s while replicas run) and the app's releases.</summary>
    Metrics,
}
