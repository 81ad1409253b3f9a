using System.Text.Json;
using Gantry.Logging;
using Gantry.Router.Observability;

namespace Gantry.Router.Tests.Observability;

public sealed class AccessLogRotationTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gantry-access-rotation-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static RequestRecord Record(int i) => new()
    {
        Time = DateTimeOffset.UnixEpoch,
        Entrypoint = "external",
        Host = "app.test",
        Method = "GET",
        Path = $"/r{i}",
        Status = 200,
        TraceId = new string('a', 32),
        RequestId = $"req-{i}",
    };

    private static string ReadShared(string path)
    {
        if (!File.Exists(path))
        {
            return "";
        }
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        return new StreamReader(stream).ReadToEnd();
    }

    [Fact]
    public async Task AccessLogWriter_FileBeyondMaxBytes_RotatesAndKeepsOnlyKeepFiles()
    {
        var path = Path.Combine(_dir, "access.log");
        var metrics = new RouterMetrics();
        var writer = AccessLogWriter.Open(path, metrics, maxBytes: 1024, keep: 2)!;
        for (var i = 0; i < 40; i++)
        {
            writer.Enqueue(Record(i));
            // One record per flush, so every flush may rotate: wait until this one reached the disk.
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            while (!ReadShared(path).Contains($"\"/r{i}\"", StringComparison.Ordinal) && !ReadShared(path + ".1").Contains($"\"/r{i}\"", StringComparison.Ordinal))
            {
                await Task.Delay(2, timeout.Token);
            }
        }
        await writer.DisposeAsync();

        Assert.True(File.Exists(path + ".1"));
        Assert.True(File.Exists(path + ".2"));
        Assert.False(File.Exists(path + ".3"));
        var oneRecord = ReadShared(path + ".1").Split('\n')[0].Length + 1;
        foreach (var rotated in new[] { path + ".1", path + ".2" })
        {
            // Rotated at the first flush that reached 1 KiB: never more than one record over.
            Assert.InRange(new FileInfo(rotated).Length, 1024, 1024 + oneRecord);
        }
        var lines = new[] { path + ".2", path + ".1", path }.SelectMany(f => ReadShared(f).Split('\n', StringSplitOptions.RemoveEmptyEntries)).ToList();
        var numbers = lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("path").GetString()!).Select(p => int.Parse(p[2..], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        // The newest records, in order, with the oldest ones rotated away.
        Assert.Equal(39, numbers[^1]);
        Assert.Equal(Enumerable.Range(numbers[0], numbers.Count), numbers);
        Assert.True(numbers[0] > 0);
        Assert.Equal(0, metrics.AccessLogDropped);
    }

    [Fact]
    public async Task AccessLogWriter_Stdout_IsNotAFileAndNeverRotates()
    {
        var writer = AccessLogWriter.Open("stdout", new RouterMetrics(), maxBytes: 1024, keep: 1)!;
        await writer.DisposeAsync();

        Assert.Empty(Directory.GetFiles(_dir));
    }
}
