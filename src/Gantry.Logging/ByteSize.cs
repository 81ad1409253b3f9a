using System.Globalization;

namespace Gantry.Logging;

/// <summary>Sizes as people write them on a command line: "100MB", "10M", "512KiB", "1G", "4096".</summary>
public static class ByteSize
{
    /// <summary>Parses a whole number with an optional unit (B, K/KB/KiB, M/MB/MiB, G/GB/GiB; all powers of 1024); null when it is not one.</summary>
    public static long? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        var trimmed = text.Trim();
        var digits = 0;
        while (digits < trimmed.Length && char.IsAsciiDigit(trimmed[digits]))
        {
            digits++;
        }
        if (digits == 0 || !long.TryParse(trimmed.AsSpan(0, digits), NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return null;
        }
        var shift = trimmed[digits..].Trim().ToUpperInvariant() switch
        {
            "" or "B" => 0,
            "K" or "KB" or "KIB" => 10,
            "M" or "MB" or "MIB" => 20,
            "G" or "GB" or "GIB" => 30,
            _ => -1,
        };
        if (shift < 0 || number > long.MaxValue >> shift)
        {
            return null;
        }
        return number << shift;
    }
}
