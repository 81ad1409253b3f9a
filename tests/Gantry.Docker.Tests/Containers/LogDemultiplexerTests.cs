using System.Buffers.Binary;
using System.Text;
using Gantry.Docker.Containers;

namespace Gantry.Docker.Tests.Containers;

public sealed class LogDemultiplexerTests
{
    private static byte[] Frame(byte stream, string payload)
    {
        var body = Encoding.UTF8.GetBytes(payload);
        var frame = new byte[8 + body.Length];
        frame[0] = stream;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(4), (uint)body.Length);
        body.CopyTo(frame, 8);
        return frame;
    }

    private static Task<List<LogEntry>> ReadAsync(byte[] bytes, bool multiplexed, bool timestamps = false) =>
        LogDemultiplexer.ReadAsync(new MemoryStream(bytes), multiplexed, timestamps).ToListAsync().AsTask();

    [Fact]
    public async Task ReadAsync_InterleavedFrames_AssignsEachLineToItsStream()
    {
        var bytes = Frame(1, "out-1\nout-2\n").Concat(Frame(2, "err-1\n")).Concat(Frame(1, "out-3\n")).ToArray();

        var lines = await ReadAsync(bytes, multiplexed: true);

        Assert.Equal(
            [new LogEntry(LogStream.Stdout, null, "out-1"), new LogEntry(LogStream.Stdout, null, "out-2"),
             new LogEntry(LogStream.Stderr, null, "err-1"), new LogEntry(LogStream.Stdout, null, "out-3")],
            lines);
    }

    [Fact]
    public async Task ReadAsync_LineSplitAcrossFramesWithOtherStreamBetween_JoinsPerStream()
    {
        var bytes = Frame(1, "hel").Concat(Frame(2, "warn")).Concat(Frame(1, "lo\n")).Concat(Frame(2, "ing\n")).ToArray();

        var lines = await ReadAsync(bytes, multiplexed: true);

        Assert.Equal([new LogEntry(LogStream.Stdout, null, "hello"), new LogEntry(LogStream.Stderr, null, "warning")], lines);
    }

    [Fact]
    public async Task ReadAsync_MultiByteCharacterSplitAcrossFrames_DecodesIntact()
    {
        var euro = Encoding.UTF8.GetBytes("€\n");
        var first = new byte[] { 1, 0, 0, 0, 0, 0, 0, 1, euro[0] };
        var second = new byte[] { 1, 0, 0, 0, 0, 0, 0, 3, euro[1], euro[2], euro[3] };

        var lines = await ReadAsync([.. first, .. second], multiplexed: true);

        Assert.Equal("€", Assert.Single(lines).Text);
    }

    [Fact]
    public async Task ReadAsync_TruncatedFinalFrame_StopsWithoutThrowingAndFlushesPartialLine()
    {
        var bytes = Frame(1, "complete\npartial").Concat(Frame(2, "cut off here")[..10]).ToArray();

        var lines = await ReadAsync(bytes, multiplexed: true);

        Assert.Equal(["complete", "partial"], lines.Select(l => l.Text));
    }

    [Fact]
    public async Task ReadAsync_RawTtyStreamWithCrLf_YieldsStdoutLinesWithoutCarriageReturns()
    {
        var lines = await ReadAsync(Encoding.UTF8.GetBytes("one\r\ntwo\r\nthree"), multiplexed: false);

        Assert.Equal(["one", "two", "three"], lines.Select(l => l.Text));
        Assert.All(lines, l => Assert.Equal(LogStream.Stdout, l.Stream));
    }

    [Fact]
    public async Task ReadAsync_Timestamps_ParsesNanosecondPrefix()
    {
        var bytes = Frame(2, "2024-05-01T10:00:00.123456789Z something failed\n");

        var line = Assert.Single(await ReadAsync(bytes, multiplexed: true, timestamps: true));

        Assert.Equal(LogStream.Stderr, line.Stream);
        Assert.Equal("something failed", line.Text);
        Assert.Equal(new DateTimeOffset(2024, 5, 1, 10, 0, 0, TimeSpan.Zero).AddTicks(1234567), line.Timestamp);
    }

    [Fact]
    public async Task ReadAsync_TimestampedPartialMessages_KeepsFirstStampAndDropsContinuationStamps()
    {
        var bytes = Frame(1, "2024-05-01T10:00:00.1Z aaaa")
            .Concat(Frame(1, "2024-05-01T10:00:00.1Z bbbb"))
            .Concat(Frame(1, "2024-05-01T10:00:00.1Z cc\n"))
            .Concat(Frame(1, "2024-05-01T10:00:01Z next\n"))
            .ToArray();

        var lines = await ReadAsync(bytes, multiplexed: true, timestamps: true);

        Assert.Equal(["aaaabbbbcc", "next"], lines.Select(l => l.Text));
        Assert.Equal(new DateTimeOffset(2024, 5, 1, 10, 0, 0, 100, TimeSpan.Zero), lines[0].Timestamp);
    }

    [Fact]
    public async Task ReadAsync_EmptyStream_YieldsNothing()
    {
        Assert.Empty(await ReadAsync([], multiplexed: true));
    }
}
