using System.Security.Cryptography;
using System.Text;

namespace Gantry.Server.Environments;

/// <summary>
/// Seals and opens secret values with AES-256-GCM (authenticated: a changed byte or a wrong key fails, never decrypts to
/// garbage). The key ring's first key seals; every key in it opens, so a rotation can re-seal at leisure (docs/decisions/0024).
/// The associated data binds each value to its place (`APP/ENV/NAME/VERSION`): a sealed value copied to another secret does not open.
/// </summary>
public sealed class SecretBox
{
    private readonly IReadOnlyList<(string Id, byte[] Key)> _keys;

    public SecretBox(IReadOnlyList<(string Id, byte[] Key)> keys)
    {
        if (keys.Count == 0 || keys.Any(k => k.Key.Length != 32 || k.Id.Contains(':', StringComparison.Ordinal)))
        {
            throw new ArgumentException("a secret key ring needs at least one 32-byte key with an id without ':'", nameof(keys));
        }
        _keys = keys;
    }

    /// <summary>The id of the key new values are sealed with.</summary>
    public string CurrentKeyId => _keys[0].Id;

    public string Seal(string value, string place)
    {
        var (id, key) = _keys[0];
        var plain = Encoding.UTF8.GetBytes(value);
        var nonce = RandomNumberGenerator.GetBytes(AesGcm.NonceByteSizes.MaxSize);
        var cipher = new byte[plain.Length];
        var tag = new byte[AesGcm.TagByteSizes.MaxSize];
        using (var aes = new AesGcm(key, tag.Length))
        {
            aes.Encrypt(nonce, plain, cipher, tag, Encoding.UTF8.GetBytes(place));
        }
        CryptographicOperations.ZeroMemory(plain);
        return $"{id}:{Convert.ToBase64String(nonce)}:{Convert.ToBase64String(cipher)}:{Convert.ToBase64String(tag)}";
    }

    /// <summary>The value, or null when the sealed text is malformed, its key is not in the ring, or it was tampered with.</summary>
    public string? Open(string sealedValue, string place)
    {
        var parts = sealedValue.Split(':');
        if (parts.Length != 4 || _keys.FirstOrDefault(k => k.Id == parts[0]) is not { Key: { } key })
        {
            return null;
        }
        try
        {
            var nonce = Convert.FromBase64String(parts[1]);
            var cipher = Convert.FromBase64String(parts[2]);
            var tag = Convert.FromBase64String(parts[3]);
            var plain = new byte[cipher.Length];
            using var aes = new AesGcm(key, tag.Length);
            aes.Decrypt(nonce, cipher, tag, plain, Encoding.UTF8.GetBytes(place));
            return Encoding.UTF8.GetString(plain);
        }
        catch (Exception e) when (e is FormatException or CryptographicException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>True when the value was sealed with a key other than the current one (a rotation re-seals it).</summary>
    public bool IsSealedWithOldKey(string sealedValue) => !sealedValue.StartsWith(CurrentKeyId + ":", StringComparison.Ordinal);

    /// <summary>What a secret's value is bound to: its app, environment, name and version.</summary>
    public static string PlaceOf(string app, string environment, string name, long version) => $"{app}/{environment}/{name}/{version}";

    /// <summary>
    /// Reads the key ring file (`ID BASE64KEY` per line, the first one current; `#` comments), creating it with one new
    /// random key, mode 0600, when it does not exist. A file others can read is refused: the keys are the secrets.
    /// </summary>
    public static SecretBox OpenKeyFile(string path, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        if (!File.Exists(path))
        {
            var line = $"{time.GetUtcNow():yyyyMMdd}{RandomNumberGenerator.GetHexString(6, lowercase: true)} {Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))}\n";
            var temp = path + ".tmp";
            var create = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }
            using (var stream = new FileStream(temp, create))
            {
                stream.Write(Encoding.ASCII.GetBytes(line));
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, path);
        }
        var mode = OperatingSystem.IsWindows() ? UnixFileMode.None : File.GetUnixFileMode(path);
        if ((mode & (UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite)) != 0)
        {
            throw new InvalidOperationException($"{path} is readable or writable by other users (mode {Convert.ToString((int)mode, 8)}): run 'chmod 600 {path}' and start the server again");
        }
        return new SecretBox(ParseKeyRing(File.ReadAllText(path), path));
    }

    /// <summary>Pure: the key ring's lines, each checked, with the line number of the first bad one in the error.</summary>
    public static IReadOnlyList<(string Id, byte[] Key)> ParseKeyRing(string text, string path)
    {
        var keys = new List<(string, byte[])>();
        var number = 0;
        foreach (var raw in text.Split('\n'))
        {
            number++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            byte[]? key = null;
            if (parts.Length == 2)
            {
                try
                {
                    key = Convert.FromBase64String(parts[1]);
                }
                catch (FormatException)
                {
                }
            }
            if (key is not { Length: 32 } || parts[0].Contains(':', StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"{path}:{number}: a key line is 'ID BASE64' with a 32-byte key (make one with: echo \"$(date +%Y%m%d) $(head -c32 /dev/urandom | base64)\")");
            }
            keys.Add((parts[0], key));
        }
        if (keys.Count == 0)
        {
            throw new InvalidOperationException($"{path} has no key: remove the file to have the server make one (secrets sealed with a lost key cannot be opened), or restore it from your backup");
        }
        return keys;
    }
}
