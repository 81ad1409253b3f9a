namespace Gantry.Server.Metrics;

/// <summary>
/// CRC-32 (IEEE), to tell a whole log record from a torn one after a crash. Written here because System.IO.Hashing is a
/// package of its own and this is the one place that needs it.
/// </summary>
internal static class Crc32
{
    private static readonly uint[] s_table = Enumerable.Range(0, 256).Select(n =>
    {
        var c = (uint)n;
        for (var k = 0; k < 8; k++)
        {
            c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        }
        return c;
    }).ToArray();

    public static uint Compute(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc = s_table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }
        return crc ^ 0xFFFFFFFFu;
    }
}
