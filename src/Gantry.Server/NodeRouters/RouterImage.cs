using System.Diagnostics;
using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text;
using Gantry.Docker;
using Microsoft.Extensions.Logging;

namespace Gantry.Server.NodeRouters;

/// <summary>
/// The router image, made from the running server's own files (docs/decisions/0029): its assemblies (as its deps.json lists
/// them), the runtime it runs on and the host libraries that runtime links, imported FROM scratch as one layer and tagged
/// by a hash of those files' contents. Nothing is compiled or downloaded: the first node router of a server version costs one
/// import (about 110 MB) on the manager and one save | load per other node; later ones find the tag and cost nothing.
/// </summary>
public sealed partial class RouterImage(ILogger<RouterImage> logger)
{
    /// <summary>Loaded with dlopen by the runtime's crypto shim (ldd cannot see them); the router's random tokens use it.</summary>
    private static readonly string[] OpenSslLibraries = ["libssl.so.3", "libcrypto.so.3"];

    private readonly SemaphoreSlim _gate = new(1, 1);
    private (string Tag, IReadOnlyList<(string Source, string Target)> Files)? _layout;

    /// <summary>The image's tag on the server's engine, imported there first if missing.</summary>
    public async Task<string> EnsureAsync(DockerClient engine, CancellationToken ct)
    {
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var (tag, files) = _layout ??= await Task.Run(Collect, ct).ConfigureAwait(false);
            if (await engine.Images.TryInspectAsync(tag, ct).ConfigureAwait(false) is null)
            {
                var started = Stopwatch.GetTimestamp();
                var rootfs = Path.Combine(Path.GetTempPath(), "gantry-router-" + Guid.NewGuid().ToString("N") + ".tar");
                try
                {
                    await WriteRootfsAsync(files, rootfs, ct).ConfigureAwait(false);
                    await using var stream = File.OpenRead(rootfs);
                    await engine.Images.ImportAsync(stream, tag[..tag.IndexOf(':', StringComparison.Ordinal)], tag[(tag.IndexOf(':', StringComparison.Ordinal) + 1)..],
                    [
                        $"ENTRYPOINT [\"{RouterImageLayout.RuntimeDirectory}/dotnet\", \"{RouterImageLayout.AppDirectory}/gantry.dll\", \"router\"]",
                        "ENV DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1",
                        "ENV DOTNET_EnableDiagnostics=0",
                        "ENV LD_LIBRARY_PATH=/lib/x86_64-linux-gnu:/usr/lib/x86_64-linux-gnu",
                        "LABEL gantry.managed=true",
                    ], ct).ConfigureAwait(false);
                }
                finally
                {
                    File.Delete(rootfs);
                }
                Log.Imported(logger, tag, files.Count, Stopwatch.GetElapsedTime(started).TotalSeconds);
            }
            return tag;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Gets the image onto a node's engine from the server's (docker save | docker load) when the node lacks it.</summary>
    public async Task ShipAsync(DockerClient from, DockerClient to, string tag, CancellationToken ct)
    {
        if (await to.Images.TryInspectAsync(tag, ct).ConfigureAwait(false) is not null)
        {
            return;
        }
        var started = Stopwatch.GetTimestamp();
        await using var saved = await from.Images.SaveAsync([tag], ct).ConfigureAwait(false);
        await to.Images.LoadAsync(saved, ct).ConfigureAwait(false);
        Log.Shipped(logger, tag, Stopwatch.GetElapsedTime(started).TotalSeconds);
    }

    /// <summary>Every file of the image (source on this machine, path in the image) and the tag their contents make.</summary>
    private static (string Tag, IReadOnlyList<(string Source, string Target)> Files) Collect()
    {
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var app = AppContext.BaseDirectory;
        var deps = Path.Combine(app, "gantry.deps.json");
        var candidates = File.Exists(deps)
            ? RouterImageLayout.AppFileCandidates(File.ReadAllText(deps), "gantry")
            : [.. Directory.EnumerateFiles(app, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(app, f))];
        foreach (var relative in candidates)
        {
            var source = Path.Combine(app, relative);
            if (File.Exists(source))
            {
                files[RouterImageLayout.AppDirectory + "/" + relative] = source;
            }
        }
        // The runtime this server runs on: .../shared/Microsoft.NETCore.App/V, the ASP.NET Core framework beside it, the muxer and hostfxr.
        var netcore = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var aspnet = Path.GetDirectoryName(typeof(Microsoft.AspNetCore.Builder.WebApplication).Assembly.Location)!;
        var root = Path.GetFullPath(Path.Combine(netcore, "..", "..", ".."));
        foreach (var directory in new[] { netcore, aspnet, Path.Combine(root, "host") })
        {
            foreach (var file in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories))
            {
                files[RouterImageLayout.RuntimeDirectory + "/" + Path.GetRelativePath(root, file)] = file;
            }
        }
        var muxer = Path.Combine(root, "dotnet");
        files[RouterImageLayout.RuntimeDirectory + "/dotnet"] = muxer;
        // The host libraries: what ldd resolves for every native binary, and OpenSSL, which the runtime opens itself.
        var natives = files.Values.Where(f => f.EndsWith(".so", StringComparison.Ordinal)).Append(muxer).ToList();
        var libraries = new SortedSet<string>(RouterImageLayout.LddPaths(Run("ldd", natives)), StringComparer.Ordinal);
        foreach (var ssl in RouterImageLayout.LdconfigPaths(Run("ldconfig", ["-p"]), OpenSslLibraries))
        {
            libraries.Add(ssl);
            libraries.UnionWith(RouterImageLayout.LddPaths(Run("ldd", [ssl])));
        }
        foreach (var library in libraries)
        {
            files[library] = library;
        }
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (target, source) in files)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(target + "\n"));
            hash.AppendData(SHA256.HashData(File.ReadAllBytes(source)));
        }
        var tag = RouterImageLayout.Tag(Convert.ToHexStringLower(hash.GetHashAndReset()));
        return (tag, [.. files.Select(f => (f.Value, f.Key))]);
    }

    /// <summary>The root file system as tar: parent directories first, files with their mode, links followed, /tmp for the runtime.</summary>
    private static async Task WriteRootfsAsync(IReadOnlyList<(string Source, string Target)> files, string path, CancellationToken ct)
    {
        await using var output = File.Create(path);
        await using var tar = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true);
        var directories = new SortedSet<string>(StringComparer.Ordinal) { "tmp" };
        foreach (var (_, target) in files)
        {
            for (var dir = Path.GetDirectoryName(target.TrimStart('/')); !string.IsNullOrEmpty(dir); dir = Path.GetDirectoryName(dir))
            {
                directories.Add(dir);
            }
        }
        foreach (var directory in directories)
        {
            await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.Directory, directory + "/")
            {
                Mode = directory == "tmp" ? (UnixFileMode)Convert.ToInt32("1777", 8) : (UnixFileMode)Convert.ToInt32("755", 8),
            }, ct).ConfigureAwait(false);
        }
        foreach (var (source, target) in files)
        {
            var resolved = new FileInfo(source).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? source;
            await using var content = File.OpenRead(resolved);
            await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, target.TrimStart('/'))
            {
                Mode = OperatingSystem.IsWindows() ? (UnixFileMode)Convert.ToInt32("755", 8) : File.GetUnixFileMode(resolved),
                DataStream = content,
            }, ct).ConfigureAwait(false);
        }
    }

    private static string Run(string program, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not run {program}");
        // Its error stream is drained and dropped (the output is what is parsed), so that a chatty program never blocks on it.
        process.ErrorDataReceived += static (_, _) => { };
        process.BeginErrorReadLine();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return output;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 9130, Level = LogLevel.Information, Message = "node routers: imported the router image {Tag} ({Files} files) in {Seconds:0.0} s")]
        public static partial void Imported(ILogger logger, string tag, int files, double seconds);

        [LoggerMessage(EventId = 9131, Level = LogLevel.Information, Message = "node routers: loaded {Tag} into a node's engine in {Seconds:0.0} s")]
        public static partial void Shipped(ILogger logger, string tag, double seconds);
    }
}
