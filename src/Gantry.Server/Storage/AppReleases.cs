using Gantry.Model;
using Gantry.Model.Status;

namespace Gantry.Server.Storage;

/// <summary>An app's releases with the app's current desired and observed state, the input of <see cref="RetentionPlanner"/>.</summary>
/// <param name="App">The app name.</param>
/// <param name="Spec">The app's desired state; null when the app does not exist or is being deleted (then all its releases are kept:
/// its deletion removes them, and a first deploy writes its release before the app).</param>
/// <param name="Status">What the controller last observed; null before the first observation.</param>
/// <param name="Releases">Its stored releases, any order.</param>
public sealed record AppReleases(string App, AppSpec? Spec, AppStatus? Status, IReadOnlyList<ReleaseEntry> Releases);
