using Gantry.Logging;
using Microsoft.Extensions.Logging;

namespace Gantry.Router.Tests.Logging;

public sealed class RotatingFileLoggerProviderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gantry-file-logger-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Log_ManyEntries_AreWrittenAsLinesAndRotated()
    {
        var path = Path.Combine(_dir, "server.log");
        using (var provider = new RotatingFileLoggerProvider(new RotatingFileOptions { Path = path, MaxBytes = 4096, Keep = 3 }, TimeProvider.System))
        {
            var logger = provider.CreateLogger("Gantry.Test");
            for (var i = 0; i < 4000; i++)
            {
                logger.LogInformation("entry {Number} of a long-running process", i);
            }
            logger.LogDebug("below the minimum level");
        }

        var files = Directory.GetFiles(_dir).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["server.log", "server.log.1", "server.log.2", "server.log.3"], files);
        // Oldest to newest: the last entry is the last line, whichever file the final rotation left it in.
        var lines = new[] { ".3", ".2", ".1", "" }.SelectMany(suffix => File.ReadAllLines(path + suffix)).ToList();
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z info: Gantry\.Test\[0\] entry 3999 of a long-running process$", lines[^1]);
        Assert.DoesNotContain(Directory.GetFiles(_dir).SelectMany(File.ReadAllLines), l => l.Contains("below the minimum", StringComparison.Ordinal));
        Assert.All(Directory.GetFiles(_dir), f => Assert.True(new FileInfo(f).Length < 4096 + 70 * 1024));
    }
}
