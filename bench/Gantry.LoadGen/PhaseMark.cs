namespace Gantry.LoadGen;

/// <summary>A label set on a running load at an instant; requests starting after it carry it until the next mark.</summary>
public readonly record struct PhaseMark(DateTimeOffset Time, string Label)
{
    /// <summary>
    /// The label of the latest mark at or before <paramref name="time"/> in <paramref name="marks"/>
    /// (ordered by time), or <paramref name="before"/> when the first mark is later.
    /// </summary>
    public static string LabelAt(IReadOnlyList<PhaseMark> marks, DateTimeOffset time, string before)
    {
        ArgumentNullException.ThrowIfNull(marks);
        int low = 0, high = marks.Count;
        while (low < high)
        {
            var mid = (low + high) >>> 1;
            if (marks[mid].Time <= time)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }
        return low == 0 ? before : marks[low - 1].Label;
    }
}
