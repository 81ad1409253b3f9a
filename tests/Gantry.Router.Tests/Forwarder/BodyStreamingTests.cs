using System.Diagnostics;
using System.Net;
using Gantry.Router.Contracts.Requests;
using Gantry.Router.Observability;
using Gantry.Router.Tests.Support;
using Microsoft.AspNetCore.Http;

namespace Gantry.Router.Tests.Forwarder;

public class BodyStreamingTests
{
    private const long HundredMegabytes = 100L * 1024 * 1024;
    private const long MaxGrowth = 64L * 1024 * 1024;

    /// <summary>Writes <c>length</c> bytes from one small buffer, with or without a Content-Length (chunked).</summary>
    private sealed class GeneratedContent(long length, bool sendLength) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            var chunk = new byte[64 * 1024];
            Array.Fill(chunk, (byte)'x');
            for (long sent = 0; sent < length; sent += chunk.Length)
            {
                await stream.WriteAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, length - sent)));
            }
        }

        protected override bool TryComputeLength(out long l)
        {
            l = length;
            return sendLength;
        }
    }

    /// <summary>Samples this process's working set while <paramref name="work"/> runs and returns the peak growth.</summary>
    private static async Task<long> PeakGrowthAsync(Func<Task> work)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        var baseline = process.WorkingSet64;
        var peak = baseline;
        using var stop = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                process.Refresh();
                peak = Math.Max(peak, process.WorkingSet64);
                await Task.Delay(20);
            }
        });
        await work();
        await stop.CancelAsync();
        await sampler;
        return peak - baseline;
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Upload_HundredMegabytes_StreamedInBoundedMemory(bool contentLength)
    {
        await using var backend = await TestBackend.StartAsync(async ctx =>
        {
            var buffer = new byte[64 * 1024];
            long total = 0;
            int read;
            while ((read = await ctx.Request.Body.ReadAsync(buffer)) > 0)
            {
                total += read;
            }

            await ctx.Response.WriteAsync(total.ToString(System.Globalization.CultureInfo.InvariantCulture));
        });
        await using var router = await TestRouter.StartAsync(Tables.Single(backend.Address));
        string? answer = null;

        var growth = await PeakGrowthAsync(async () =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, router.External + "/upload") { Content = new GeneratedContent(HundredMegabytes, contentLength) };
            request.Headers.Host = "app.test";
            using var response = await router.Client.SendAsync(request);
            answer = await response.Content.ReadAsStringAsync();
        });

        Assert.Equal(HundredMegabytes.ToString(System.Globalization.CultureInfo.InvariantCulture), answer);
        Assert.True(growth < MaxGrowth, $"working set grew {growth / (1024 * 1024)} MB");
        Assert.Equal(HundredMegabytes, (await router.RecordsAsync(1))[0].BytesIn);
    }

    [Fact]
    public async Task Download_HundredMegabytes_StreamedInBoundedMemory()
    {
        await using var backend = await TestBackend.StartAsync(async ctx =>
        {
            var chunk = new byte[64 * 1024];
            ctx.Response.ContentLength = HundredMegabytes;
            for (long sent = 0; sent < HundredMegabytes; sent += chunk.Length)
            {
                await ctx.Response.Body.WriteAsync(chunk);
            }
        });
        await using var router = await TestRouter.StartAsync(Tables.Single(backend.Address));
        long received = 0;

        var growth = await PeakGrowthAsync(async () =>
        {
            using var response = await router.Client.SendAsync(Get(router, "/download"), HttpCompletionOption.ResponseHeadersRead);
            await using var body = await response.Content.ReadAsStreamAsync();
            var buffer = new byte[64 * 1024];
            int read;
            while ((read = await body.ReadAsync(buffer)) > 0)
            {
                received += read;
            }
        });

        Assert.Equal(HundredMegabytes, received);
        Assert.True(growth < MaxGrowth, $"working set grew {growth / (1024 * 1024)} MB");
    }

    [Fact]
    public async Task Download_SlowClient_ReceivesEverything()
    {
        const int size = 2 * 1024 * 1024;
        await using var backend = await TestBackend.StartAsync(async ctx =>
        {
            await ctx.Response.Body.WriteAsync(new byte[size]);
        });
        await using var router = await TestRouter.StartAsync(Tables.Single(backend.Address));

        using var response = await router.Client.SendAsync(Get(router, "/"), HttpCompletionOption.ResponseHeadersRead);
        await using var body = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[128 * 1024];
        long received = 0;
        int read;
        while ((read = await body.ReadAsync(buffer)) > 0)
        {
            received += read;
            await Task.Delay(15);
        }

        Assert.Equal(size, received);
    }

    [Fact]
    public async Task Download_ClientAborts_LoggedAsClientAborted()
    {
        var backendSawAbort = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var backend = await TestBackend.StartAsync(async ctx =>
        {
            try
            {
                while (true)
                {
                    await ctx.Response.Body.WriteAsync(new byte[16 * 1024], ctx.RequestAborted);
                    await Task.Delay(10, ctx.RequestAborted);
                }
            }
            catch (Exception) when (ctx.RequestAborted.IsCancellationRequested)
            {
                backendSawAbort.TrySetResult();
            }
        });
        await using var router = await TestRouter.StartAsync(Tables.Single(backend.Address));

        using (var response = await router.Client.SendAsync(Get(router, "/"), HttpCompletionOption.ResponseHeadersRead))
        {
            await using var body = await response.Content.ReadAsStreamAsync();
            await body.ReadExactlyAsync(new byte[1024]);
        }

        await backendSawAbort.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var record = await WaitForRecordAsync(router, r => r.Outcome == RequestOutcome.ClientAborted);
        Assert.Equal(200, record.Status);
    }

    internal static HttpRequestMessage Get(TestRouter router, string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, router.External + path);
        request.Headers.Host = "app.test";
        return request;
    }

    internal static async Task<RequestRecord> WaitForRecordAsync(TestRouter router, Func<RequestRecord, bool> match)
    {
        for (var i = 0; i < 200; i++)
        {
            if (router.Router.Recent.Slowest(100).FirstOrDefault(match) is { } record)
            {
                return record;
            }

            await Task.Delay(25);
        }

        throw new Xunit.Sdk.XunitException("no matching request record");
    }
}
