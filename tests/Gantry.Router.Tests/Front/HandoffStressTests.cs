using System.Net.Sockets;
using System.Text;
using Gantry.Router.Tests.Support;

namespace Gantry.Router.Tests.Front;

/// <summary>Many connections handed to Kestrel at once, each answered there and closed: every client gets its answer.</summary>
public sealed class HandoffStressTests
{
    [Fact]
    public async Task HandedOff_ManyAtOnce_EachGetsItsAnswerBeforeTheClose()
    {
        // A handed-off connection whose pumps started only after Kestrel could take it was sometimes disposed with no pump
        // running: its socket closed under the receive that started next, abortively, and the reset reached the client
        // before the 400 (1 in 2,000 before the event loops, 1 in 40 with them).
        await using var backend = await TestBackend.StartNamedAsync("b");
        await using var router = await TestRouter.StartAsync(Tables.Single(backend.Address));
        var failures = new List<string>();

        await Parallel.ForAsync(0, 800, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (_, _) =>
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", router.Router.ExternalHttpPort);
            var stream = client.GetStream();
            // An out-of-range port: not the front's subset, so Kestrel's path answers 400 and closes.
            await stream.WriteAsync("GET / HTTP/1.1\r\nHost: app.test:99999999999\r\nConnection: close\r\n\r\n"u8.ToArray());
            var response = new StringBuilder();
            var buffer = new byte[8192];
            try
            {
                int read;
                while ((read = await stream.ReadAsync(buffer)) > 0)
                {
                    response.Append(Encoding.ASCII.GetString(buffer, 0, read));
                }
            }
            catch (IOException ex)
            {
                response.Append(ex.Message);
            }

            if (!response.ToString().StartsWith("HTTP/1.1 400 ", StringComparison.Ordinal))
            {
                lock (failures)
                {
                    failures.Add(response.ToString());
                }
            }
        });

        Assert.True(failures.Count == 0, $"{failures.Count} of 800 without their 400, e.g. '{failures.FirstOrDefault()}'");
        Assert.Equal(0, backend.Requests);
    }
}
