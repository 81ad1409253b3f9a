using System.Globalization;

namespace Gantry.Compose.Units;

/// <summary>Parses compose byte sizes ("512m", "1gb", "100k", "2GiB", "1.5g", a plain number of bytes) with binary multiples, as Docker does.</summary>
internal static class ByteSizeParser
{
    public static bool TryParse(string text, out long bytes)
    {
        bytes = 0;
        var s = text.Trim().ToLowerInvariant();
        var pos = 0;
        while (pos < s.Length && (char.IsAsciiDigit(s[pos]) || s[pos] == '.'))
        {
            pos++;
        }
        if (pos == 0 || !double.TryParse(s[..pos], NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            return false;
        }
        long? multiplier = s[pos..].Trim() switch
        {
            "" or "b" => 1,
            "k" or "kb" or "kib" => 1L << 10,
            "m" or "mb" or "mib" => 1L << 20,
            "g" or "gb" or "gib" => 1L << 30,
            "t" or "tb" or "tib" => 1L << 40,
            "p" or "pb" or "pib" => 1L << 50,
            _ => null,
        };
        if (multiplier is null)
        {
            return false;
        }
        var value = number * multiplier.Value;
        if (value > long.MaxValue)
        {
            return false;
        }
        bytes = (long)value;
        return true;
    }
}
