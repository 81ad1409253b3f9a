using System.Text;
using Gantry.Logging;

namespace Gantry.Router.Tests.Logging;

public sealed class RotatingFileStreamTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gantry-rotating-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static void WriteFlush(Stream stream, string text)
    {
        stream.Write(Encoding.UTF8.GetBytes(text));
        stream.Flush();
    }

    [Fact]
    public void Flush_PastMaxBytes_ShiftsFilesAndDropsTheOldest()
    {
        var path = Path.Combine(_dir, "app.log");
        using var stream = RotatingFileStream.Open(new RotatingFileOptions { Path = path, MaxBytes = 1024, Keep = 2 });

        foreach (var name in new[] { "a", "b", "c", "d" })
        {
            WriteFlush(stream, new string(name[0], 1024));
        }
        WriteFlush(stream, "e");

        Assert.Equal(4, stream.Rotations);
        Assert.Equal("e", File.ReadAllText(path));
        Assert.StartsWith("d", File.ReadAllText(path + ".1"), StringComparison.Ordinal);
        Assert.StartsWith("c", File.ReadAllText(path + ".2"), StringComparison.Ordinal);
        Assert.False(File.Exists(path + ".3"));
    }

    [Fact]
    public void Write_UnderMaxBytes_NeverRotates()
    {
        var path = Path.Combine(_dir, "app.log");
        using var stream = RotatingFileStream.Open(new RotatingFileOptions { Path = path, MaxBytes = 4096, Keep = 2 });

        for (var i = 0; i < 10; i++)
        {
            WriteFlush(stream, new string('x', 100));
        }

        Assert.Equal(0, stream.Rotations);
        Assert.Equal(1000, new FileInfo(path).Length);
        Assert.Single(Directory.GetFiles(_dir));
    }

    [Fact]
    public void Flush_KeepZero_CutsTheFileWithoutKeepingAny()
    {
        var path = Path.Combine(_dir, "app.log");
        using var stream = RotatingFileStream.Open(new RotatingFileOptions { Path = path, MaxBytes = 1024, Keep = 0 });

        WriteFlush(stream, new string('x', 2000));
        WriteFlush(stream, "after");

        Assert.Equal("after", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(_dir));
    }

    [Fact]
    public void Open_ExistingFileAlreadyFull_RotatesItFirst()
    {
        var path = Path.Combine(_dir, "app.log");
        File.WriteAllText(path, new string('o', 5000));

        using var stream = RotatingFileStream.Open(new RotatingFileOptions { Path = path, MaxBytes = 1024, Keep = 1 });
        WriteFlush(stream, "new");

        Assert.Equal("new", File.ReadAllText(path));
        Assert.Equal(5000, new FileInfo(path + ".1").Length);
    }

    [Fact]
    public void Open_InvalidOptions_NamesEveryProblem()
    {
        var ex = Assert.Throws<ArgumentException>(() => RotatingFileStream.Open(new RotatingFileOptions { Path = " ", MaxBytes = 10, Keep = -1 }));

        Assert.Contains("path is empty", ex.Message, StringComparison.Ordinal);
        Assert.Contains("10 bytes", ex.Message, StringComparison.Ordinal);
        Assert.Contains("keep is -1", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("4096", 4096L)]
    [InlineData("100MB", 100L << 20)]
    [InlineData("10m", 10L << 20)]
    [InlineData("512 KiB", 512L << 10)]
    [InlineData("1G", 1L << 30)]
    [InlineData("ten", null)]
    [InlineData("10TB", null)]
    [InlineData("", null)]
    public void ByteSize_Parse_ReadsWhatPeopleWrite(string text, long? expected)
    {
        Assert.Equal(expected, ByteSize.Parse(text));
    }
}
