using System.Net;

namespace Gantry.Registry.Auth;

/// <summary>
/// Slows password and token guessing: after <see cref="MaxFailures"/> failed authentications from one
/// address (or for one user name) within <see cref="Window"/>, that address (or user) is refused with
/// 429 and a Retry-After until a window has passed. Shared by the API's bearer gate and the registry's
/// token endpoint and Basic auth, so guesses on one do not start afresh on the other.
/// </summary>
/// <remarks>
/// Only presented-and-wrong credentials count; a request without credentials is not a guess, and a
/// success is never delayed (it clears its address's and user's count). The lock is checked before the
/// credentials are, so a locked-out guesser learns nothing from its guesses. IPv6 addresses count per
/// /64 (one host usually owns the whole prefix). Memory is bounded by <see cref="MaxEntries"/>: expired
/// entries go first, then the oldest unlocked one. State is in memory: a restart forgets it.
/// </remarks>
public sealed class AuthFailureLimiter
{
    private readonly TimeProvider _time;
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public AuthFailureLimiter(TimeProvider time, int maxFailures = 10, TimeSpan? window = null, int maxEntries = 10_000)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxFailures, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxEntries, 1);
        _time = time;
        MaxFailures = maxFailures;
        Window = window ?? TimeSpan.FromMinutes(1);
        MaxEntries = maxEntries;
    }

    /// <summary>Failures within <see cref="Window"/> that lock an address or user out.</summary>
    public int MaxFailures { get; }

    /// <summary>How long failures are remembered, and how long a lock-out lasts.</summary>
    public TimeSpan Window { get; }

    /// <summary>How many addresses and users are tracked at most.</summary>
    public int MaxEntries { get; }

    /// <summary>How many addresses and users are tracked now (for tests and diagnostics).</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>The key an address counts under: IPv4 as is, IPv6 by its /64 prefix, "unknown" when there is none.</summary>
    public static string AddressKey(IPAddress? address)
    {
        if (address is null)
        {
            return "addr:unknown";
        }
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6)
        {
            byte[] bytes = address.GetAddressBytes();
            Array.Clear(bytes, 8, 8);
            return "addr:" + new IPAddress(bytes) + "/64";
        }
        return "addr:" + address;
    }

    /// <summary>The key a user name counts under.</summary>
    public static string UserKey(string user) => "user:" + user;

    /// <summary>How long the caller must wait when any of the keys is locked out; null when it may try.</summary>
    public TimeSpan? RetryAfter(string addressKey, string? userKey = null)
    {
        DateTimeOffset now = _time.GetUtcNow();
        lock (_lock)
        {
            if (_entries.Count == 0)
            {
                return null;
            }
            TimeSpan? wait = Remaining(addressKey, now);
            if (userKey is not null && Remaining(userKey, now) is { } userWait && (wait is null || userWait > wait))
            {
                wait = userWait;
            }
            return wait;
        }
    }

    /// <summary>Counts one failed authentication; true when it locked the address or the user out.</summary>
    public bool RecordFailure(string addressKey, string? userKey = null)
    {
        DateTimeOffset now = _time.GetUtcNow();
        lock (_lock)
        {
            bool locked = Fail(addressKey, now);
            if (userKey is not null)
            {
                locked |= Fail(userKey, now);
            }
            return locked;
        }
    }

    /// <summary>A success clears the count of its address and user: a few typos must not add up over a day.</summary>
    public void RecordSuccess(string addressKey, string? userKey = null)
    {
        lock (_lock)
        {
            if (_entries.Count == 0)
            {
                return;
            }
            Clear(addressKey);
            if (userKey is not null)
            {
                Clear(userKey);
            }
        }
    }

    private void Clear(string key)
    {
        if (_entries.TryGetValue(key, out Entry? entry) && entry.LockedUntil is null)
        {
            _entries.Remove(key);
        }
    }

    private TimeSpan? Remaining(string key, DateTimeOffset now) =>
        _entries.TryGetValue(key, out Entry? entry) && entry.LockedUntil is { } until && until > now ? until - now : null;

    private bool Fail(string key, DateTimeOffset now)
    {
        if (!_entries.TryGetValue(key, out Entry? entry))
        {
            if (_entries.Count >= MaxEntries && !MakeRoom(now))
            {
                // Every tracked key is locked out: this one goes uncounted rather than growing the table.
                return false;
            }
            entry = new Entry { WindowStart = now };
            _entries[key] = entry;
        }
        if (entry.LockedUntil is { } until && until <= now || now - entry.WindowStart >= Window)
        {
            entry.LockedUntil = null;
            entry.Failures = 0;
            entry.WindowStart = now;
        }
        entry.Failures++;
        if (entry.Failures >= MaxFailures && entry.LockedUntil is null)
        {
            entry.LockedUntil = now + Window;
            return true;
        }
        return false;
    }

    private bool MakeRoom(DateTimeOffset now)
    {
        string? oldest = null;
        DateTimeOffset oldestStart = DateTimeOffset.MaxValue;
        var expired = new List<string>();
        foreach (var (key, entry) in _entries)
        {
            if (entry.LockedUntil is { } until ? until <= now : now - entry.WindowStart >= Window)
            {
                expired.Add(key);
            }
            else if (entry.LockedUntil is null && entry.WindowStart < oldestStart)
            {
                (oldest, oldestStart) = (key, entry.WindowStart);
            }
        }
        foreach (string key in expired)
        {
            _entries.Remove(key);
        }
        if (expired.Count == 0 && oldest is not null)
        {
            _entries.Remove(oldest);
            return true;
        }
        return expired.Count > 0;
    }

    private sealed class Entry
    {
        public int Failures { get; set; }

        public DateTimeOffset WindowStart { get; set; }

        public DateTimeOffset? LockedUntil { get; set; }
    }
}
