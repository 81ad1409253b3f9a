namespace Gantry.Controllers.Docker;

/// <summary>An <see cref="IProgress{T}"/> that reports on the caller's thread, so lines keep the engine's order.</summary>
internal sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
