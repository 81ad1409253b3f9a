using System.Security.Cryptography;

namespace Gantry.Server.Hosting;

/// <summary>
/// The server's data directory: creates it (mode 0700) and the files that identify this installation
/// on first start: the admin token and the routers' token (mode 0600) and the installation id that labels every engine
/// object this server owns.
/// </summary>
public sealed class DataDirectory
{
    private DataDirectory(string root, string adminToken, string routerToken, string installationId, byte[] registryKey)
    {
        Root = root;
        AdminToken = adminToken;
        RouterToken = routerToken;
        InstallationId = installationId;
        RegistrySigningKey = registryKey;
    }

    /// <summary>Signs the registry's bearer tokens; kept so tokens stay valid across restarts.</summary>
    public byte[] RegistrySigningKey { get; }

    public string Root { get; }

    /// <summary>The admin token; never logged.</summary>
    public string AdminToken { get; }

    /// <summary>The routers' token: the route feed and the routers' reports, nothing else; never logged.</summary>
    public string RouterToken { get; }

    public string InstallationId { get; }

    public string StorePath => Path.Combine(Root, "gantry.db");

    public string AdminTokenPath => Path.Combine(Root, "admin-token");

    public string RouterTokenPath => Path.Combine(Root, "router-token");

    public string BundlesDirectory => Path.Combine(Root, "bundles");

    /// <summary>The apps' bare git repositories (docs/decisions/0018).</summary>
    public string GitDirectory => Path.Combine(Root, "git");

    /// <summary>The key ring secrets are sealed with (mode 0600; docs/decisions/0024 says how to rotate it).</summary>
    public string SecretKeyPath => Path.Combine(Root, "secrets.key");

    public string RegistryDirectory => Path.Combine(Root, "registry");

    /// <summary>The data-protection keys that encrypt the console's session and anti-forgery cookies (inside the 0700 root).</summary>
    public string ConsoleKeysDirectory => Path.Combine(Root, "console-keys");

    /// <summary>The metrics history's file (see Metrics/README.md).</summary>
    public string MetricsDirectory => Path.Combine(Root, "metrics");

    /// <summary>The replicas' logs, a folder per app (see Logs/README.md).</summary>
    public string ReplicaLogsDirectory => Path.Combine(Root, "logs");

    /// <summary>Pushed builds' logs, one file per build: builds/APP/N.log (docs/decisions/0025).</summary>
    public string BuildsDirectory => Path.Combine(Root, "builds");

    public static DataDirectory Open(string root)
    {
        root = Path.GetFullPath(root);
        Directory.CreateDirectory(root);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        var token = ReadOrCreate(Path.Combine(root, "admin-token"), () => "gty_" + Base64Url(RandomNumberGenerator.GetBytes(32)));
        var router = ReadOrCreate(Path.Combine(root, "router-token"), () => "gtr_" + Base64Url(RandomNumberGenerator.GetBytes(32)));
        var id = ReadOrCreate(Path.Combine(root, "installation-id"), () => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6)));
        var key = ReadOrCreate(Path.Combine(root, "registry-signing-key"), () => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        return new DataDirectory(root, token, router, id, Convert.FromBase64String(key));
    }

    /// <summary>Writes the file once, atomically and private: a crash never leaves a half-written token.</summary>
    private static string ReadOrCreate(string path, Func<string> create)
    {
        if (File.Exists(path))
        {
            var existing = File.ReadAllText(path).Trim();
            if (existing.Length > 0)
            {
                return existing;
            }
        }
        var value = create();
        var temp = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Options = FileOptions.WriteThrough };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        using (var stream = new FileStream(temp, options))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(value + "\n");
        }
        File.Move(temp, path, overwrite: true);
        return value;
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
