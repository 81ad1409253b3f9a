using Gantry.Controllers.Autoscaling;
using Gantry.Model.Api;

namespace Gantry.Server.Autoscaling;

/// <summary>
/// What the autoscaler remembers per service between sampler passes, in memory: the history the next decision needs,
/// the newest decision, and the recent ones worth showing (those that changed the count or the reason). After a restart
/// it starts empty, which is safe: an empty history never scales in before a whole scale-in delay has been watched.
/// </summary>
public sealed class AutoscaleBook
{
    /// <summary>Recent decisions kept per service for `gantry autoscale`.</summary>
    public const int Kept = 20;

    private readonly Lock _lock = new();
    private readonly Dictionary<(string App, string Service), Entry> _entries = new();

    public AutoscaleHistory HistoryOf(string app, string service)
    {
        lock (_lock)
        {
            return _entries.TryGetValue((app, service), out var entry) ? entry.History : AutoscaleHistory.Empty;
        }
    }

    /// <summary>
    /// Records a decision made at <paramref name="at"/> from a count of <paramref name="from"/>, with the history to hand
    /// the next one. Returns true when the service has just become limited (at max, or held back by the resource guard):
    /// the start of an episode, which is worth one event; the passes that repeat it are not.
    /// </summary>
    public bool Record(string app, string service, DateTimeOffset at, int from, AutoscaleDecision decision, AutoscaleHistory next)
    {
        ArgumentNullException.ThrowIfNull(decision);
        var view = new AutoscaleDecisionView(at, from, decision.Desired, decision.Wanted, decision.Reason.ToString(), decision.Message) { LimitedBy = decision.LimitedBy };
        var limited = decision.LimitedBy is not null || decision.Reason == AutoscaleReason.AtMax;
        lock (_lock)
        {
            var entry = _entries.TryGetValue((app, service), out var found) ? found : new Entry();
            var notable = entry.Last is not { } last || last.To != view.To || last.From != view.From || last.Reason != view.Reason || last.LimitedBy != view.LimitedBy;
            if (notable)
            {
                entry.Recent.Insert(0, view);
                if (entry.Recent.Count > Kept)
                {
                    entry.Recent.RemoveAt(entry.Recent.Count - 1);
                }
            }
            var episode = limited && !entry.Limited;
            entry.Limited = limited;
            entry.Last = view;
            entry.Readings = decision.Readings.Count > 0 || decision.Desired == 0 ? decision.Readings : entry.Readings;
            entry.History = next;
            _entries[(app, service)] = entry;
            return episode;
        }
    }

    /// <summary>The newest decision, the recent ones (newest first) and the targets' last readings.</summary>
    public (AutoscaleDecisionView? Last, IReadOnlyList<AutoscaleDecisionView> Recent, IReadOnlyList<AutoscaleReading> Readings) View(string app, string service)
    {
        lock (_lock)
        {
            return _entries.TryGetValue((app, service), out var entry) ? (entry.Last, [.. entry.Recent], entry.Readings) : (null, [], []);
        }
    }

    /// <summary>Services the autoscaler could not grow as far as their targets asked (at max, or held by the guard), with its last message.</summary>
    public IReadOnlyDictionary<(string App, string Service), string> Limited()
    {
        lock (_lock)
        {
            return _entries.Where(e => e.Value.Limited && e.Value.Last is not null).ToDictionary(e => e.Key, e => e.Value.Last!.Message);
        }
    }

    /// <summary>Forgets services no longer autoscaled (their app removed or redeployed without a policy).</summary>
    public void Retain(IReadOnlySet<(string App, string Service)> autoscaled)
    {
        lock (_lock)
        {
            foreach (var gone in _entries.Keys.Where(k => !autoscaled.Contains(k)).ToList())
            {
                _entries.Remove(gone);
            }
        }
    }

    private sealed class Entry
    {
        public AutoscaleHistory History { get; set; } = AutoscaleHistory.Empty;

        public AutoscaleDecisionView? Last { get; set; }

        public List<AutoscaleDecisionView> Recent { get; } = [];

        public IReadOnlyList<AutoscaleReading> Readings { get; set; } = [];

        public bool Limited { get; set; }
    }
}
