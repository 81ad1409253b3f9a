using System.Text.Json;

namespace Gantry.Cli.Config;

/// <summary>
/// Reads and writes `config.json` under `$XDG_CONFIG_HOME/gantry/` (or `~/.config/gantry/`). The file
/// holds a bearer token, so it is created 0600 inside a 0700 directory and never world-readable,
/// not even for the instant between create and chmod.
/// </summary>
public static class ConfigFile
{
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerAll = OwnerReadWrite | UnixFileMode.UserExecute;

    /// <summary>The config path for this environment (XDG first, then the home directory).</summary>
    public static string DefaultPath(Func<string, string?> getEnvironmentVariable)
    {
        var xdg = getEnvironmentVariable("XDG_CONFIG_HOME");
        if (!string.IsNullOrWhiteSpace(xdg))
        {
            return Path.Combine(xdg, "gantry", "config.json");
        }
        var home = getEnvironmentVariable("HOME");
        if (string.IsNullOrWhiteSpace(home))
        {
            home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        }
        return Path.Combine(home, ".config", "gantry", "config.json");
    }

    /// <summary>Loads the saved config, or null when there is none yet.</summary>
    public static CliConfig? Load(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }
        try
        {
            var config = JsonSerializer.Deserialize(File.ReadAllText(path), ConfigJsonContext.Default.CliConfig);
            if (config is null || string.IsNullOrWhiteSpace(config.Server))
            {
                throw new CliException(ExitCodes.InvalidInput, $"{path}: the config file has no \"server\"; run `gantry login` again to rewrite it");
            }
            return config;
        }
        catch (JsonException ex)
        {
            throw new CliException(ExitCodes.InvalidInput, $"{path}: the config file is not valid JSON ({ex.Message}); delete it and run `gantry login` again", ex);
        }
    }

    /// <summary>Writes the config atomically with mode 0600 (the directory 0700 when created).</summary>
    public static void Save(string path, CliConfig config)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        if (!Directory.Exists(directory))
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(directory);
            }
            else
            {
                Directory.CreateDirectory(directory, OwnerAll);
            }
        }
        var temporary = path + ".tmp-" + Environment.ProcessId;
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerReadWrite;
        }
        using (var stream = new FileStream(temporary, options))
        {
            JsonSerializer.Serialize(stream, config, ConfigJsonContext.Default.CliConfig);
        }
        if (!OperatingSystem.IsWindows())
        {
            // UnixCreateMode is filtered through the umask and ignored when the file already existed.
            File.SetUnixFileMode(temporary, OwnerReadWrite);
        }
        File.Move(temporary, path, overwrite: true);
    }
}
