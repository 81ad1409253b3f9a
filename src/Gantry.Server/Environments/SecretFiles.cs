using System.Security.Cryptography;
using System.Text;

namespace Gantry.Server.Environments;

/// <summary>
/// Where opened secrets are written for the engine to bind-mount: a directory in memory (tmpfs `/dev/shm`), never in the data
/// directory, so the disk only ever holds them sealed. One file per secret version (`INSTANCE/NAME.vN`, 0444 in a 0700
/// directory), so a replica of an older release keeps its value and a rollback mounts the version its release recorded.
/// </summary>
public sealed class SecretFiles
{
    public SecretFiles(string dataDirectory, string? root = null)
    {
        // One directory per data directory: two servers on one machine (the tests) never share files.
        var id = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Path.GetFullPath(dataDirectory))))[..12];
        Root = root ?? (Directory.Exists("/dev/shm") ? Path.Combine("/dev/shm", "gantry-secrets-" + id) : Path.Combine(dataDirectory, "run", "secrets"));
    }

    public string Root { get; }

    public string PathOf(string instance, string name, long version) => Path.Combine(Root, instance, $"{name}.v{version}");

    /// <summary>Writes the value unless that version's file is already there (versions never change once set).</summary>
    public string Write(string instance, string name, long version, string value)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("secret files need a Unix file system");
        }
        var path = PathOf(instance, name, version);
        if (File.Exists(path))
        {
            return path;
        }
        var directory = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(Root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var temp = $"{path}.{Guid.NewGuid():N}.tmp";
        using (var stream = new FileStream(temp, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        }))
        {
            stream.Write(Encoding.UTF8.GetBytes(value));
        }
        // Readable by the container's user, whoever it is; the directory around it is the owner's alone.
        File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        File.Move(temp, path, overwrite: true);
        return path;
    }

    /// <summary>Removes an instance's files (its environment was removed).</summary>
    public void Remove(string instance)
    {
        var directory = Path.Combine(Root, instance);
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
