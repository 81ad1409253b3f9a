using System.Text.RegularExpressions;

namespace Gantry.Model.Releases;

/// <summary>
/// Decides which values must never be shown (in release diffs, and anywhere else the configuration is
/// printed): by the name they are stored under, or by what they look like.
/// </summary>
public static partial class SecretValues
{
    /// <summary>What a secret-looking value is shown as.</summary>
    public const string Mask = "••••••";

    private static readonly string[] s_secretWords = ["PASSWORD", "PASSWD", "PWD", "SECRET", "TOKEN", "KEY", "CREDENTIAL", "PRIVATE", "AUTH", "SALT", "CERT"];

    /// <summary>True when an environment variable (or label, option, JSON property) must not be shown: by its name or by its value.</summary>
    public static bool LooksSecret(string? key, string? value) =>
        (key is not null && IsSecretKey(key)) || (value is not null && IsSecretValue(value));

    /// <summary>
    /// True when the name contains (any case) PASSWORD, PASSWD, PWD, SECRET, TOKEN, KEY, CREDENTIAL, PRIVATE, AUTH, SALT or CERT,
    /// or has PASS or PW as a whole word (`SMTP_PASS`, `--db-pass`, `redis.pw`: as words only, so BYPASS and PASSAGE stay plain).
    /// </summary>
    public static bool IsSecretKey(string key)
    {
        foreach (var word in s_secretWords)
        {
            if (key.Contains(word, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        foreach (var word in key.Split(['_', '-', '.', ':', '/'], StringSplitOptions.RemoveEmptyEntries))
        {
            if (word.Equals("PASS", StringComparison.OrdinalIgnoreCase) || word.Equals("PW", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// True for values that carry credentials whatever their name: URLs with user info (`scheme://user:pass@host`),
    /// `password=...` pairs (connection strings), JWTs, and high-entropy words of 20 characters or more (base64 or hex keys).
    /// </summary>
    public static bool IsSecretValue(string value)
    {
        if (UrlUserInfo().IsMatch(value) || SecretPair().IsMatch(value) || Jwt().IsMatch(value))
        {
            return true;
        }
        foreach (var word in value.Split([' ', '\t', '\n', ',', ';', '"', '\''], StringSplitOptions.RemoveEmptyEntries))
        {
            if (IsHighEntropy(word))
            {
                return true;
            }
        }
        return false;
    }

    [GeneratedRegex(@"[a-zA-Z][a-zA-Z0-9+.\-]*://[^/\s@]+@")]
    private static partial Regex UrlUserInfo();

    [GeneratedRegex(@"(?i)(password|passwd|pwd|secret|token|api_?key|access_?key)\s*[=:]")]
    private static partial Regex SecretPair();

    [GeneratedRegex(@"eyJ[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+\.")]
    private static partial Regex Jwt();

    private static bool IsHighEntropy(string word)
    {
        if (word.Length < 20)
        {
            return false;
        }
        bool hex = true, upper = false, lower = false, digit = false;
        foreach (var c in word)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '+' or '/' or '=' or '-' or '_'))
            {
                return false;
            }
            hex &= char.IsAsciiHexDigit(c);
            upper |= char.IsAsciiLetterUpper(c);
            lower |= char.IsAsciiLetterLower(c);
            digit |= char.IsAsciiDigit(c);
        }
        // Random hex carries about 3.5 bits a character over 20 characters, random base64 about 4;
        // words and paths repeat letters and rarely mix cases and digits.
        return hex ? digit && (upper || lower) && Entropy(word) >= 3.0
            : upper && lower && digit && Entropy(word) >= 3.5;
    }

    private static double Entropy(string word)
    {
        var counts = new Dictionary<char, int>();
        foreach (var c in word)
        {
            counts[c] = counts.GetValueOrDefault(c) + 1;
        }
        var entropy = 0.0;
        foreach (var count in counts.Values)
        {
            var p = (double)count / word.Length;
            entropy -= p * Math.Log2(p);
        }
        return entropy;
    }
}
