namespace Gantry.Server.Git;

/// <summary>The two smart-HTTP services: fetch and clone (upload-pack) and push (receive-pack).</summary>
public enum GitService
{
    UploadPack,
    ReceivePack,
}
