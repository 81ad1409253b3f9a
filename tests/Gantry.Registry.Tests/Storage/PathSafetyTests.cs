using System.Net;
using Gantry.Registry.Content;
using Gantry.Registry.Storage;
using Gantry.Registry.Tests.Infrastructure;

namespace Gantry.Registry.Tests.Storage;

/// <summary>
/// Issue 15: the tar and path tests run against every place that turns user input into a path. In the registry
/// that is digests (blob paths), upload ids (session directories) and repository names: none may form a path
/// outside the storage root, whatever the client sends.
/// </summary>
public sealed class PathSafetyTests(RegistryFixture fixture) : IClassFixture<RegistryFixture>
{
    private TestRegistry R => fixture.Registry;

    public static TheoryData<string> HostileDigests => new()
    {
        "sha256:../../../../etc/passwd",
        "sha256:" + new string('a', 62) + "/..",
        "sha256/../../x:" + new string('a', 64),
        "../sha256:" + new string('a', 64),
        "sha256:" + new string('A', 64),
        "sha256:" + new string('a', 63) + "\0",
        "md5:" + new string('a', 32),
        "sha256:" + new string('a', 65),
        "/etc/passwd",
    };

    [Theory]
    [MemberData(nameof(HostileDigests))]
    public void TryParse_HostileDigest_Refused(string value) => Assert.False(Digest.TryParse(value, out _));

    [Theory]
    [InlineData("sha256")]
    [InlineData("sha512")]
    public void PathFor_EveryParsableDigest_StaysUnderTheBlobRoot(string algorithm)
    {
        var blobs = R.Get<BlobStore>();
        Assert.True(Digest.TryParse($"{algorithm}:{new string('0', algorithm == "sha256" ? 64 : 128)}", out var digest));

        var path = Path.GetFullPath(blobs.PathFor(digest));

        Assert.StartsWith(Path.GetFullPath(blobs.RootPath) + Path.DirectorySeparatorChar, path, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("..")]
    [InlineData("../../etc")]
    [InlineData("../blobs")]
    [InlineData("00000000-0000-0000-0000-000000000000/../../x")]
    public void Find_UploadIdThatIsAPath_NoSession(string id) =>
        Assert.Null(R.Get<UploadStore>().Find("team/app", id));

    [Theory]
    [InlineData("..")]
    [InlineData("../etc")]
    [InlineData("a/../../b")]
    [InlineData("a/./b")]
    [InlineData("/abs")]
    [InlineData("a\\..\\b")]
    [InlineData("a/%2e%2e/b")]
    public void IsValidName_RepositoryNameThatIsAPath_Invalid(string name) => Assert.False(ReferenceGrammar.IsValidName(name));

    [Theory]
    [InlineData("v2/team/app/blobs/sha256:..%2F..%2F..%2Fetc%2Fpasswd")]
    [InlineData("v2/team/app/blobs/..%2F..%2Fregistry.db")]
    [InlineData("v2/team/%2e%2e/%2e%2e/blobs/sha256:0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("v2/team/app/manifests/..%2F..%2F..%2Fetc%2Fpasswd")]
    [InlineData("v2/team/app/blobs/uploads/..%2F..%2Fblobs")]
    public async Task Get_EncodedTraversal_NotFoundOrInvalidAndNothingServedFromOutside(string url)
    {
        File.WriteAllText(Path.Combine(R.Root, "registry-canary"), "canary-outside-blobs");

        using var response = await R.Http.GetAsync(new Uri(url, UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized or HttpStatusCode.MethodNotAllowed,
            $"{(int)response.StatusCode}: {body}");
        Assert.DoesNotContain("canary-outside-blobs", body, StringComparison.Ordinal);
        Assert.DoesNotContain("root:", body, StringComparison.Ordinal);
    }
}
