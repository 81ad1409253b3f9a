using System.Security.Cryptography;
using Gantry.Server.Environments;

namespace Gantry.Server.Tests.Environments;

public sealed class SecretBoxTests
{
    private static readonly byte[] s_key1 = RandomNumberGenerator.GetBytes(32);
    private static readonly byte[] s_key2 = RandomNumberGenerator.GetBytes(32);

    [Fact]
    public void Seal_ThenOpen_GivesTheValueBackAndTheSealedTextDoesNotContainIt()
    {
        var box = new SecretBox([("k1", s_key1)]);

        var sealedValue = box.Seal("hunter2-très-secret", "hello/staging/db/1");

        Assert.DoesNotContain("hunter2", sealedValue);
        Assert.StartsWith("k1:", sealedValue);
        Assert.Equal("hunter2-très-secret", box.Open(sealedValue, "hello/staging/db/1"));
    }

    [Fact]
    public void Open_AnotherPlace_IsRefused()
    {
        var box = new SecretBox([("k1", s_key1)]);
        var sealedValue = box.Seal("value", "hello/staging/db/1");

        Assert.Null(box.Open(sealedValue, "hello/production/db/1"));
        Assert.Null(box.Open(sealedValue, "hello/staging/db/2"));
    }

    [Fact]
    public void Open_TamperedCiphertext_IsRefused()
    {
        var box = new SecretBox([("k1", s_key1)]);
        var parts = box.Seal("value", "p").Split(':');
        var cipher = Convert.FromBase64String(parts[2]);
        cipher[0] ^= 1;

        Assert.Null(box.Open($"{parts[0]}:{parts[1]}:{Convert.ToBase64String(cipher)}:{parts[3]}", "p"));
        Assert.Null(box.Open("not sealed at all", "p"));
    }

    [Fact]
    public void Rotation_NewKeyFirst_OpensOldValuesAndSealsWithTheNewOne()
    {
        var before = new SecretBox([("k1", s_key1)]);
        var old = before.Seal("value", "p");
        var after = new SecretBox([("k2", s_key2), ("k1", s_key1)]);

        Assert.Equal("value", after.Open(old, "p"));
        Assert.True(after.IsSealedWithOldKey(old));
        Assert.False(after.IsSealedWithOldKey(after.Seal("value", "p")));
        Assert.Null(new SecretBox([("k2", s_key2)]).Open(old, "p"));
    }

    [Fact]
    public void OpenKeyFile_Missing_CreatesOneKeyWithMode0600()
    {
        var directory = Directory.CreateTempSubdirectory("gantry-keys-");
        try
        {
            var path = Path.Combine(directory.FullName, "secrets.key");

            var box = SecretBox.OpenKeyFile(path, TimeProvider.System);
            var again = SecretBox.OpenKeyFile(path, TimeProvider.System);

            Assert.Equal(box.CurrentKeyId, again.CurrentKeyId);
            Assert.Equal("v", again.Open(box.Seal("v", "p"), "p"));
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
                var error = Assert.Throws<InvalidOperationException>(() => SecretBox.OpenKeyFile(path, TimeProvider.System));
                Assert.Contains("chmod 600", error.Message);
            }
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void ParseKeyRing_BadLine_NamesTheLine()
    {
        var error = Assert.Throws<InvalidOperationException>(() => SecretBox.ParseKeyRing($"# keys\nk1 {Convert.ToBase64String(s_key1)}\nk2 short\n", "secrets.key"));

        Assert.StartsWith("secrets.key:3:", error.Message);
    }
}
