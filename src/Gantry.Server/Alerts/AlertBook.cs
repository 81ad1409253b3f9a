using Gantry.Model.Api;

namespace Gantry.Server.Alerts;

/// <summary>What happened to an alert in one step: it started firing, was notified again, or resolved.</summary>
public enum AlertTransitionKind
{
    Firing,
    Repeat,
    Resolved,
}

public sealed record AlertTransition(AlertTransitionKind Kind, string Key, AlertView Alert);

/// <summary>
/// The alerts' state machine, pure (the caller passes the time): a condition is pending until it has held for its
/// rule's duration, then fires once; a firing alert is notified again every repeat interval and resolves once, when its
/// condition no longer holds. Deduplication is by key (rule, app, service): however often a condition is seen, it is one alert.
/// </summary>
public sealed class AlertBook(AlertOptions options)
{
    private readonly Dictionary<string, Entry> _active = new(StringComparer.Ordinal);
    private readonly List<AlertView> _resolved = [];

    /// <summary>Alerts firing now, oldest first.</summary>
    public IReadOnlyList<AlertView> Firing => [.. _active.Values.Where(e => e.Firing).OrderBy(e => e.Since).Select(e => e.View())];

    /// <summary>Resolved alerts, newest first, up to <see cref="AlertOptions.RecentResolved"/>.</summary>
    public IReadOnlyList<AlertView> Resolved => _resolved;

    /// <summary>Takes the conditions seen at <paramref name="now"/> and returns what changed.</summary>
    public List<AlertTransition> Step(IReadOnlyList<AlertSignal> signals, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(signals);
        var transitions = new List<AlertTransition>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var signal in signals)
        {
            if (!seen.Add(signal.Key))
            {
                continue;
            }
            if (!_active.TryGetValue(signal.Key, out var entry))
            {
                entry = new Entry { Signal = signal, Since = now };
                _active[signal.Key] = entry;
            }
            entry.Signal = signal;
            if (!entry.Firing && now - entry.Since >= signal.For)
            {
                entry.Firing = true;
                entry.NotifiedAt = now;
                transitions.Add(new AlertTransition(AlertTransitionKind.Firing, signal.Key, entry.View()));
            }
            else if (entry.Firing && now - entry.NotifiedAt >= options.RepeatInterval)
            {
                entry.NotifiedAt = now;
                transitions.Add(new AlertTransition(AlertTransitionKind.Repeat, signal.Key, entry.View()));
            }
        }
        foreach (var (key, entry) in _active.Where(a => !seen.Contains(a.Key)).ToList())
        {
            _active.Remove(key);
            if (entry.Firing)
            {
                var resolved = entry.View() with { State = "resolved", ResolvedAt = now };
                _resolved.Insert(0, resolved);
                if (_resolved.Count > options.RecentResolved)
                {
                    _resolved.RemoveAt(_resolved.Count - 1);
                }
                transitions.Add(new AlertTransition(AlertTransitionKind.Resolved, key, resolved));
            }
        }
        return transitions;
    }

    /// <summary>The next time a step could change something without a new observation: a pending condition's duration ending, or a repeat falling due.</summary>
    public DateTimeOffset? NextDue() =>
        _active.Values.Select(e => e.Firing ? e.NotifiedAt + options.RepeatInterval : e.Since + e.Signal.For).Cast<DateTimeOffset?>().Min();

    /// <summary>An alert that was firing when the server stopped: firing again without a new notice (it was notified then).</summary>
    public void Restore(string key, AlertView firing)
    {
        ArgumentNullException.ThrowIfNull(firing);
        _active[key] = new Entry
        {
            Signal = new AlertSignal(firing.Rule, firing.Severity, firing.App, firing.Service, firing.Summary, TimeSpan.Zero),
            Since = firing.Since,
            Firing = true,
            NotifiedAt = firing.NotifiedAt ?? firing.Since,
        };
    }

    private sealed class Entry
    {
        public required AlertSignal Signal { get; set; }

        public DateTimeOffset Since { get; init; }

        public bool Firing { get; set; }

        public DateTimeOffset NotifiedAt { get; set; }

        public AlertView View() => new(Signal.Rule, Signal.Severity, Firing ? "firing" : "pending", Signal.App, Signal.Service, Signal.Summary, Since)
        {
            NotifiedAt = Firing ? NotifiedAt : null,
        };
    }
}
