using System.Globalization;

namespace Gantry.Store.Tests;

/// <summary>What the crash writer writes, shared with the test that checks it.</summary>
public static class CrashWriter
{
    public const string Kind = "Crash";

    public static string NameFor(int i) => string.Create(CultureInfo.InvariantCulture, $"r{i % 37}");
}
