using System.Text.Json;
using Gantry.Router.Contracts.Requests;

namespace Gantry.Router.Observability;

/// <summary>Writes one request record as a JSON object with Utf8JsonWriter (no reflection, no intermediate strings).</summary>
public static class AccessLogFormat
{
    public static string OutcomeName(RequestOutcome outcome) => outcome switch
    {
        RequestOutcome.Ok => "ok",
        RequestOutcome.ClientAborted => "client-aborted",
        RequestOutcome.UpstreamError => "upstream-error",
        RequestOutcome.Timeout => "timeout",
        RequestOutcome.NoDestination => "no-destination",
        RequestOutcome.NoRoute => "no-route",
        RequestOutcome.BadRequest => "bad-request",
        _ => "local",
    };

    public static void Write(Utf8JsonWriter json, RequestRecord r)
    {
        json.WriteStartObject();
        json.WriteString("time"u8, r.Time);
        json.WriteString("entrypoint"u8, r.Entrypoint);
        json.WriteString("host"u8, r.Host);
        json.WriteString("method"u8, r.Method);
        json.WriteString("path"u8, r.Path);
        json.WriteNumber("status"u8, r.Status);
        WriteOptional(json, "route"u8, r.RouteId);
        WriteOptional(json, "cluster"u8, r.ClusterId);
        WriteOptional(json, "destination"u8, r.DestinationId);
        json.WriteNumber("bytesIn"u8, r.BytesIn);
        json.WriteNumber("bytesOut"u8, r.BytesOut);
        json.WriteNumber("attempts"u8, r.Attempts);
        json.WriteString("outcome"u8, OutcomeName(r.Outcome));
        json.WriteString("traceId"u8, r.TraceId);
        json.WriteString("requestId"u8, r.RequestId);
        WriteOptional(json, "error"u8, r.Error);
        json.WriteStartObject("phasesUs"u8);
        json.WriteNumber("route"u8, r.RouteMicroseconds);
        if (r.HeldTicks > 0)
        {
            json.WriteNumber("held"u8, r.HeldMicroseconds);
        }
        json.WriteNumber("wait"u8, r.WaitMicroseconds);
        if (r.ConnectMicroseconds < 0)
        {
            json.WriteString("connect"u8, "reused"u8);
        }
        else
        {
            json.WriteNumber("connect"u8, r.ConnectMicroseconds);
        }

        json.WriteNumber("upstreamHeaders"u8, r.UpstreamHeadersMicroseconds);
        json.WriteNumber("body"u8, r.BodyMicroseconds);
        json.WriteNumber("total"u8, r.TotalMicroseconds);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteOptional(Utf8JsonWriter json, ReadOnlySpan<byte> name, string? value)
    {
        if (value is not null)
        {
            json.WriteString(name, value);
        }
    }
}
