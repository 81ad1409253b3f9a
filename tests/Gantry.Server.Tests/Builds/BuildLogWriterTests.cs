using Gantry.Server.Builds;

namespace Gantry.Server.Tests.Builds;

public sealed class BuildLogWriterTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "gantry-build-log-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public void Admit_UnderTheCapKeeps_TheLineOverItCutsOnce_ThenDrops()
    {
        Assert.Equal(BuildLogAdmission.Keep, BuildLogBound.Admit(90, false, 10, 100));
        Assert.Equal(BuildLogAdmission.Cut, BuildLogBound.Admit(91, false, 10, 100));
        Assert.Equal(BuildLogAdmission.Drop, BuildLogBound.Admit(0, true, 1, 100));
    }

    [Fact]
    public void Write_PastTheCap_KeepsTheCapWithANoteAndCountsWhatWasDropped()
    {
        var path = Path.Combine(_directory, "shop", "1.log");
        using (var writer = new BuildLogWriter(path, 1024))
        {
            for (var i = 0; i < 100; i++)
            {
                writer.Write($"line {i:000} " + new string('x', 40));
            }
            writer.Complete("gantry: build 1 succeeded");
        }

        var lines = File.ReadAllLines(path);
        var kept = lines.TakeWhile(l => l.StartsWith("line ", StringComparison.Ordinal)).ToList();
        Assert.Equal(20, kept.Count);
        Assert.Equal("gantry: the log is cut here: it reached 1 KiB (--build-log-size); the build goes on", lines[kept.Count]);
        Assert.Equal("gantry: 80 more lines (3.9 KiB) of output not kept", lines[kept.Count + 1]);
        Assert.Equal("gantry: build 1 succeeded", lines[^1]);
        Assert.True(new FileInfo(path).Length < 1024 + 300);
    }

    [Fact]
    public async Task WaitAsync_ReturnsWhenALineIsWrittenOrTheLogEnds()
    {
        using var writer = new BuildLogWriter(Path.Combine(_directory, "shop", "2.log"), 1 << 20);
        var waiting = writer.WaitAsync(0, default);
        Assert.False(waiting.IsCompleted);

        writer.Write("first");

        await waiting.WaitAsync(TimeSpan.FromSeconds(5));
        var more = writer.WaitAsync(writer.Length, default);
        writer.Complete("done");
        await more.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(writer.Completed);
        await writer.WaitAsync(writer.Length, default).WaitAsync(TimeSpan.FromSeconds(1));
    }
}
