using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Gantry.Registry.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Gantry.Registry.Tests.Events;

/// <summary>Push and delete events reach sinks; the webhook sink signs with HMAC-SHA256 and retries with backoff.</summary>
public sealed class EventTests
{
    private sealed class CollectingSink : IRegistryEventSink
    {
        public ConcurrentQueue<RegistryEvent> Events { get; } = new();

        public ValueTask OnEventAsync(RegistryEvent e, CancellationToken ct)
        {
            Events.Enqueue(e);
            return ValueTask.CompletedTask;
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (int i = 0; i < 100 && !condition(); i++)
        {
            await Task.Delay(100);
        }

        Assert.True(condition());
    }

    [Fact]
    public async Task PushAndDelete_RaiseEventsWithTagAndDigest()
    {
        var sink = new CollectingSink();
        await using TestRegistry r = await TestRegistry.StartAsync(services: s => s.AddSingleton<IRegistryEventSink>(sink));
        (string digest, _) = await r.PushImageAsync("ev/app", "v1");
        using (await r.Http.DeleteAsync("v2/ev/app/manifests/v1"))
        {
        }

        await WaitUntilAsync(() => sink.Events.Count >= 2);
        RegistryEvent push = sink.Events.First(e => e.Action == RegistryEventAction.Push);
        Assert.Equal("ev/app", push.Repository);
        Assert.Equal("v1", push.Tag);
        Assert.Equal(digest, push.Digest);
        Assert.Contains(sink.Events, e => e.Action == RegistryEventAction.Delete && e.Tag == "v1");
    }

    [Fact]
    public async Task Webhook_FailingTwice_IsRetriedAndSigned()
    {
        var received = new ConcurrentQueue<(string Body, string Signature)>();
        int attempts = 0;
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using WebApplication receiver = builder.Build();
        receiver.MapPost("/hook", async (HttpContext context) =>
        {
            if (Interlocked.Increment(ref attempts) <= 2)
            {
                return Results.StatusCode(503);
            }

            using var reader = new StreamReader(context.Request.Body);
            received.Enqueue((await reader.ReadToEndAsync(), context.Request.Headers["X-Gantry-Signature"].ToString()));
            return Results.Ok();
        });
        await receiver.StartAsync();
        string url = receiver.Urls.First() + "/hook";

        await using TestRegistry r = await TestRegistry.StartAsync(o => o with
        {
            Webhooks = [new WebhookOptions { Url = new Uri(url), Secret = "hook-secret", InitialBackoff = TimeSpan.FromMilliseconds(50) }],
        });
        (string digest, _) = await r.PushImageAsync("ev/hook", "v7");

        await WaitUntilAsync(() => !received.IsEmpty);
        (string body, string signature) = received.Single();
        Assert.Equal(3, attempts);
        string expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes("hook-secret"), Encoding.UTF8.GetBytes(body)));
        Assert.Equal(expected, signature);
        using JsonDocument doc = JsonDocument.Parse(body);
        JsonElement e = doc.RootElement.GetProperty("events")[0];
        Assert.Equal("Push", e.GetProperty("action").GetString());
        Assert.Equal("v7", e.GetProperty("tag").GetString());
        Assert.Equal(digest, e.GetProperty("digest").GetString());
        await receiver.StopAsync();
    }
}
