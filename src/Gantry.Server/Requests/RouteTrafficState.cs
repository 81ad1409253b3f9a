namespace Gantry.Server.Requests;

/// <summary>Running counters of one route's reported requests, by status class, since the server started.</summary>
public sealed class RouteTrafficState
{
    private long _requests;
    private long _status2xx;
    private long _status3xx;
    private long _status4xx;
    private long _status5xx;

    public long Requests => Interlocked.Read(ref _requests);

    public long Status2xx => Interlocked.Read(ref _status2xx);

    public long Status3xx => Interlocked.Read(ref _status3xx);

    public long Status4xx => Interlocked.Read(ref _status4xx);

    public long Status5xx => Interlocked.Read(ref _status5xx);

    /// <summary>The app label of the latest request (routes of removed replicas keep it, so stats still name their app).</summary>
    public string? App { get; private set; }

    public string? Service { get; private set; }

    public void Count(int status, string? app, string? service)
    {
        Interlocked.Increment(ref _requests);
        switch (status / 100)
        {
            case 2:
                Interlocked.Increment(ref _status2xx);
                break;
            case 3:
                Interlocked.Increment(ref _status3xx);
                break;
            case 4:
                Interlocked.Increment(ref _status4xx);
                break;
            case 5:
                Interlocked.Increment(ref _status5xx);
                break;
        }

        if (app is not null)
        {
            App = app;
            Service = service;
        }
    }
}
