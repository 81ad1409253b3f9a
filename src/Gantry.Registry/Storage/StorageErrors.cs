namespace Gantry.Registry.Storage;

/// <summary>Classifies storage exceptions so the API can answer a full disk with 507 instead of a generic failure.</summary>
public static class StorageErrors
{
    private const int Enospc = 28;
    private const int Edquot = 122;

    public static bool IsDiskFull(Exception ex) => ex is IOException io
        && ((io.HResult & 0xFFFF) is Enospc or Edquot
            || io.Message.Contains("No space left", StringComparison.OrdinalIgnoreCase)
            || io.Message.Contains("quota exceeded", StringComparison.OrdinalIgnoreCase));
}
