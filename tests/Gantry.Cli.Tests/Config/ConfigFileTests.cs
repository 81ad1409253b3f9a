using Gantry.Cli.Config;
using Gantry.Cli.Tests.Support;

namespace Gantry.Cli.Tests.Config;

public sealed class ConfigFileTests : IDisposable
{
    private readonly CliHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact]
    public void Save_NewFile_IsMode0600AndRoundTrips()
    {
        var path = Path.Combine(_h.Root, "cfg", "gantry", "config.json");

        ConfigFile.Save(path, new CliConfig("http://10.0.0.5:7070", "s3cret"));

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal(new CliConfig("http://10.0.0.5:7070", "s3cret"), ConfigFile.Load(path));
    }

    [Fact]
    public void Save_ExistingWorldReadableFile_BecomesMode0600()
    {
        var path = Path.Combine(_h.Root, "config.json");
        File.WriteAllText(path, "{}");
        File.SetUnixFileMode(path, (UnixFileMode)0b110_100_100);

        ConfigFile.Save(path, new CliConfig("http://h:1", "t"));

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }

    [Fact]
    public void Load_InvalidJson_ThrowsInvalidInputNamingTheFile()
    {
        var path = Path.Combine(_h.Root, "config.json");
        File.WriteAllText(path, "{not json");

        var ex = Assert.Throws<CliException>(() => ConfigFile.Load(path));

        Assert.Equal(ExitCodes.InvalidInput, ex.ExitCode);
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DefaultPath_XdgSet_UsesXdgElseHome()
    {
        Assert.Equal("/x/gantry/config.json", ConfigFile.DefaultPath(n => n == "XDG_CONFIG_HOME" ? "/x" : "/home/u"));
        Assert.Equal("/home/u/.config/gantry/config.json", ConfigFile.DefaultPath(n => n == "HOME" ? "/home/u" : null));
    }

    [Fact]
    public void Resolve_AllSources_OptionBeatsEnvironmentBeatsConfigBeatsDefault()
    {
        var saved = new CliConfig("http://saved:7070", "saved-token");
        var env = new Dictionary<string, string> { ["GANTRY_SERVER"] = "http://env:7070", ["GANTRY_TOKEN"] = "env-token" };

        var withOption = ConnectionResolver.Resolve("http://option:7070", env.GetValueOrDefault, saved);
        var withEnv = ConnectionResolver.Resolve(null, env.GetValueOrDefault, saved);
        var withConfig = ConnectionResolver.Resolve(null, _ => null, saved);
        var withNothing = ConnectionResolver.Resolve(null, _ => null, null);

        Assert.Equal("http://option:7070", withOption.Display);
        Assert.Equal("env-token", withOption.Token);
        Assert.Equal("http://env:7070", withEnv.Display);
        Assert.Equal("http://saved:7070", withConfig.Display);
        Assert.Equal("saved-token", withConfig.Token);
        Assert.Equal("http://127.0.0.1:7070", withNothing.Display);
        Assert.Null(withNothing.Token);
    }

    [Theory]
    [InlineData("localhost:7070", "http://localhost:7070")]
    [InlineData("https://gantry.example.com/", "https://gantry.example.com")]
    public void ParseServer_HostPortOrUrl_Normalises(string input, string expected)
    {
        Assert.Equal(expected, new global::Gantry.Cli.Api.ApiConnection(ConnectionResolver.ParseServer(input), null).Display);
    }

    [Fact]
    public void ParseServer_NotHttp_ThrowsUsage()
    {
        var ex = Assert.Throws<CliException>(() => ConnectionResolver.ParseServer("ftp://x"));

        Assert.Equal(ExitCodes.Usage, ex.ExitCode);
    }
}
