using System.Globalization;
using System.Text.Json;

namespace Gantry.Server.Logs;

/// <summary>The store's start: every app's folder read back as a crash may have left it.</summary>
public sealed partial class LogStore
{
    /// <summary>Reads every app's folder back: the index, sealed files it misses, and open segments (a torn last line is cut).</summary>
    private void Load()
    {
        foreach (var directory in Directory.GetDirectories(_options.Directory))
        {
            var name = Path.GetFileName(directory);
            if (!Model.Names.IsValidAppName(name))
            {
                continue;
            }
            var a = new AppSegments(name, directory);
            _apps[name] = a;
            try
            {
                LoadApp(a);
            }
            catch (IOException e)
            {
                LogUnreadable(_logger, name, directory, e.Message);
            }
        }
    }

    private void LoadApp(AppSegments a)
    {
        var files = Directory.GetFiles(a.Directory);
        foreach (var temporary in files.Where(f => f.EndsWith(".tmp", StringComparison.Ordinal)))
        {
            TryDelete(temporary);
        }
        LogIndex? index = null;
        var indexPath = Path.Combine(a.Directory, IndexFileName);
        if (File.Exists(indexPath))
        {
            try
            {
                index = JsonSerializer.Deserialize(File.ReadAllBytes(indexPath), LogIndexJsonContext.Default.LogIndex);
            }
            catch (JsonException e)
            {
                LogUnreadable(_logger, a.Name, IndexFileName, e.Message);
            }
        }
        var sealedFiles = files.Where(f => f.EndsWith(SealedSuffix, StringComparison.Ordinal)).Select(Path.GetFileName).ToHashSet(StringComparer.Ordinal);
        var changed = false;
        foreach (var segment in index?.Segments ?? [])
        {
            if (sealedFiles.Remove(segment.File))
            {
                a.Sealed.Add(segment);
            }
            else
            {
                changed = true;
            }
        }
        // Sealed files the index does not list (a crash between the rename and the index write): read them again.
        foreach (var file in sealedFiles.Order(StringComparer.Ordinal))
        {
            using var stream = File.OpenRead(Path.Combine(a.Directory, file!));
            var segment = new LogSegment { File = file!, Number = NumberOf(file!), Sealed = true };
            foreach (var line in ReadSegmentAsync(stream, compressed: true, 0, CancellationToken.None).GetAwaiter().GetResult())
            {
                segment.Add(line, 0);
            }
            segment.Bytes = stream.Length;
            a.Sealed.Add(segment);
            changed = true;
        }
        a.Sealed.Sort((x, y) => x.Number.CompareTo(y.Number));
        var open = new List<LogSegment>();
        foreach (var file in files.Where(f => f.EndsWith(OpenSuffix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(file);
            if (a.Sealed.Any(s => s.File == name + ".gz"))
            {
                // Sealed and indexed; only the open file's delete was left.
                TryDelete(file);
                continue;
            }
            var data = File.ReadAllBytes(file);
            var segment = new LogSegment { File = name, Number = NumberOf(name) };
            var lines = Lines(data, out var wholeBytes);
            foreach (var line in lines)
            {
                segment.Add(line, 0);
            }
            if (wholeBytes < data.Length)
            {
                // A torn last line (a crash mid-write): cut it so the next append starts on a line of its own.
                using var cut = new FileStream(file, FileMode.Open, FileAccess.Write);
                cut.SetLength(wholeBytes);
            }
            segment.Bytes = wholeBytes;
            segment.RawBytes = wholeBytes;
            open.Add(segment);
        }
        a.NextNumber = a.Sealed.Concat(open).Select(s => s.Number + 1).DefaultIfEmpty(0).Max();
        foreach (var segment in open.OrderBy(s => s.Number))
        {
            // Only the newest open segment stays open; an older one (a crash during a seal) is sealed now.
            if (a.Open is not null)
            {
                Seal(a);
            }
            a.Open = segment.Lines > 0 ? segment : null;
            if (segment.Lines == 0)
            {
                TryDelete(Path.Combine(a.Directory, segment.File));
            }
        }
        foreach (var segment in a.Segments)
        {
            foreach (var (container, cursor) in segment.Containers)
            {
                a.Cursors[container] = a.Cursors.TryGetValue(container, out var known) ? LogCursor.Merge(known, cursor) : cursor;
            }
        }
        if (changed)
        {
            WriteIndex(a);
        }
    }

    private static int NumberOf(string file)
    {
        var name = Path.GetFileName(file);
        var dash = name.IndexOf('-', StringComparison.Ordinal);
        var dot = name.IndexOf('.', StringComparison.Ordinal);
        return dash > 0 && dot > dash && int.TryParse(name.AsSpan(dash + 1, dot - dash - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1;
    }
}
