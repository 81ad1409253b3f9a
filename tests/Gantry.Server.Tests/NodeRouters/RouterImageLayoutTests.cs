using Gantry.Server.NodeRouters;

namespace Gantry.Server.Tests.NodeRouters;

public sealed class RouterImageLayoutTests
{
    private const string Deps = """
        {
          "runtimeTarget": { "name": ".NETCoreApp,Version=v10.0" },
          "targets": {
            ".NETCoreApp,Version=v10.0": {
              "gantry/1.0.0": { "runtime": { "gantry.dll": {} } },
              "Gantry.Router/1.0.0": { "runtime": { "Gantry.Router.dll": {} } },
              "YamlDotNet/16.3.0": { "runtime": { "lib/net8.0/YamlDotNet.dll": { "assemblyVersion": "16.0.0.0" } } },
              "SQLitePCLRaw.lib.e_sqlite3/2.1.11": {
                "runtimeTargets": {
                  "runtimes/linux-x64/native/libe_sqlite3.so": { "rid": "linux-x64", "assetType": "native" },
                  "runtimes/linux-musl-x64/native/libe_sqlite3.so": { "rid": "linux-musl-x64", "assetType": "native" },
                  "runtimes/win-x64/native/e_sqlite3.dll": { "rid": "win-x64", "assetType": "native" }
                }
              },
              "System.CommandLine/3.0.0": { "resources": { "lib/net8.0/de/System.CommandLine.resources.dll": { "locale": "de" } } }
            }
          }
        }
        """;

    [Fact]
    public void AppFileCandidates_DepsJson_AppAssembliesPackagesAndOnlyThisRidsNatives()
    {
        var files = RouterImageLayout.AppFileCandidates(Deps, "gantry");

        Assert.Contains("gantry.dll", files);
        Assert.Contains("gantry.deps.json", files);
        Assert.Contains("gantry.runtimeconfig.json", files);
        Assert.Contains("Gantry.Router.dll", files);
        Assert.Contains("YamlDotNet.dll", files);
        Assert.Contains("runtimes/linux-x64/native/libe_sqlite3.so", files);
        Assert.Contains("de/System.CommandLine.resources.dll", files);
        Assert.DoesNotContain("runtimes/linux-musl-x64/native/libe_sqlite3.so", files);
        Assert.DoesNotContain("runtimes/win-x64/native/e_sqlite3.dll", files);
    }

    [Fact]
    public void LddPaths_SeveralFiles_LibrariesOnlyWithoutHeadersVdsoOrMissing()
    {
        const string output = "/usr/share/dotnet/dotnet:\n"
            + "\tlinux-vdso.so.1 (0x00007ffd)\n"
            + "\tlibstdc++.so.6 => /lib/x86_64-linux-gnu/libstdc++.so.6 (0x00007f1)\n"
            + "\tliblttng-ust.so.1 => not found\n"
            + "\t/lib64/ld-linux-x86-64.so.2 (0x00007f2)\n"
            + "/x/libmusl.so:\n"
            + "/x/libmusl.so: error while loading shared libraries: /lib/x86_64-linux-gnu/libc.so: invalid ELF header\n";

        Assert.Equal(["/lib/x86_64-linux-gnu/libstdc++.so.6", "/lib64/ld-linux-x86-64.so.2"], RouterImageLayout.LddPaths(output));
    }

    [Fact]
    public void LdconfigPaths_Names_ThisArchitecturesPath()
    {
        const string output = "\tlibssl.so.3 (libc6) => /lib/i386-linux-gnu/libssl.so.3\n"
            + "\tlibssl.so.3 (libc6,x86-64) => /lib/x86_64-linux-gnu/libssl.so.3\n"
            + "\tlibcrypto.so.3 (libc6,x86-64) => /lib/x86_64-linux-gnu/libcrypto.so.3\n";

        Assert.Equal(["/lib/x86_64-linux-gnu/libssl.so.3", "/lib/x86_64-linux-gnu/libcrypto.so.3"],
            RouterImageLayout.LdconfigPaths(output, ["libssl.so.3", "libcrypto.so.3", "libicuuc.so.72"]));
    }

    [Fact]
    public void Tag_ContentHash_SixteenHexDigits()
    {
        Assert.Equal("gantry/router:0123456789abcdef", RouterImageLayout.Tag("0123456789abcdef0123456789abcdef"));
    }
}
