namespace Gantry.Server.Webhooks;

/// <summary>The forges whose push webhooks Gantry takes, each told apart by its own event header.</summary>
public enum WebhookProvider
{
    GitHub,
    GitLab,
    Gitea,
}
