using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Xunit;

namespace Payments.Processor.Tests.Support;

/// <summary>
/// A real browser for the tests a person would otherwise click through: Debian's headless Chromium, driven over the
/// DevTools protocol on a WebSocket (no package: <see cref="ClientWebSocket"/> and JSON). One page, one profile of its
/// own, gone when disposed. infra/test.sh installs chromium; PAYMENTS_CHROMIUM names another binary.
/// </summary>
public sealed partial class HeadlessChromium : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private readonly Process _process;
    private readonly string _profile;
    private readonly ClientWebSocket _page = new();
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonElement>> _replies = new();
    private readonly CancellationTokenSource _stop = new();
    private Task? _reader;
    private int _lastId;

    private HeadlessChromium(Process process, string profile)
    {
        _process = process;
        _profile = profile;
    }

    public static async Task<HeadlessChromium> Launch()
    {
        var profile = Directory.CreateTempSubdirectory("payments-chromium-").FullName;
        var start = new ProcessStartInfo(Binary())
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--remote-debugging-address=127.0.0.1",
                     "--remote-debugging-port=0", $"--user-data-dir={profile}", "about:blank"])
            start.ArgumentList.Add(argument);
        var process = Process.Start(start) ?? throw new InvalidOperationException("chromium did not start");
        var browser = new HeadlessChromium(process, profile);
        try
        {
            await browser.Attach();
        }
        catch
        {
            await browser.DisposeAsync();
            throw;
        }
        return browser;
    }

    private static string Binary()
    {
        if (Environment.GetEnvironmentVariable("PAYMENTS_CHROMIUM") is { Length: > 0 } configured)
            return configured;
        foreach (var name in (string[])["chromium", "chromium-browser", "google-chrome"])
            foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':'))
                if (File.Exists(Path.Combine(dir, name)))
                    return Path.Combine(dir, name);
        throw new InvalidOperationException("No chromium on PATH: infra/test.sh installs it (apt-get install -y chromium), or set PAYMENTS_CHROMIUM");
    }

    /// <summary>Reads the DevTools port Chromium prints, then opens a socket to its page.</summary>
    private async Task Attach()
    {
        using var timeout = new CancellationTokenSource(Patience);
        string? line;
        Match listening;
        do
        {
            line = await _process.StandardError.ReadLineAsync(timeout.Token)
                   ?? throw new InvalidOperationException("chromium exited before it listened for DevTools");
            listening = DevToolsListening().Match(line);
        } while (!listening.Success);
        _ = DrainAsync(_process.StandardError);
        _ = DrainAsync(_process.StandardOutput);

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{listening.Groups[1].Value}") };
        var targets = await http.GetFromJsonAsync<JsonElement>("/json/list", timeout.Token);
        var page = targets.EnumerateArray().First(t => t.GetProperty("type").GetString() == "page");
        await _page.ConnectAsync(new Uri(page.GetProperty("webSocketDebuggerUrl").GetString()!), timeout.Token);
        _reader = ReadAsync();
        await Send("Page.enable");
        await Send("Runtime.enable");
        await Send("Emulation.setDeviceMetricsOverride", new { width = 1100, height = 720, deviceScaleFactor = 1, mobile = false });
    }

    [GeneratedRegex(@"DevTools listening on ws://127\.0\.0\.1:(\d+)/")]
    private static partial Regex DevToolsListening();

    private static async Task DrainAsync(StreamReader reader)
    {
        while (await reader.ReadLineAsync() is not null)
        {
        }
    }

    /// <summary>Sends one DevTools command and returns its result; a protocol error fails the test.</summary>
    public async Task<JsonElement> Send(string method, object? parameters = null)
    {
        var id = Interlocked.Increment(ref _lastId);
        var reply = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _replies[id] = reply;
        var json = JsonSerializer.SerializeToUtf8Bytes(new { id, method, @params = parameters ?? new { } });
        await _page.SendAsync(json, WebSocketMessageType.Text, endOfMessage: true, _stop.Token);
        var message = await reply.Task.WaitAsync(Patience);
        if (message.TryGetProperty("error", out var error))
            throw new InvalidOperationException($"{method}: {error}");
        return message.GetProperty("result");
    }

    private async Task ReadAsync()
    {
        var buffer = new byte[1 << 16];
        using var message = new MemoryStream();
        try
        {
            while (_page.State == WebSocketState.Open)
            {
                var part = await _page.ReceiveAsync(buffer, _stop.Token);
                if (part.MessageType == WebSocketMessageType.Close)
                    break;
                message.Write(buffer, 0, part.Count);
                if (!part.EndOfMessage)
                    continue;
                var parsed = JsonDocument.Parse(message.ToArray()).RootElement.Clone();
                message.SetLength(0);
                if (parsed.TryGetProperty("id", out var id) && _replies.TryRemove(id.GetInt32(), out var reply))
                    reply.TrySetResult(parsed);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (WebSocketException)
        {
        }
        foreach (var reply in _replies.Values)
            reply.TrySetCanceled();
    }

    public async Task Open(string url)
    {
        await Send("Page.navigate", new { url });
        await WaitFor($"location.href === {JsonSerializer.Serialize(url)} && document.readyState === 'complete'", $"{url} to load");
    }

    /// <summary>The value of a JavaScript expression (null while the page is between documents).</summary>
    public async Task<JsonElement?> Evaluate(string expression)
    {
        var result = await Send("Runtime.evaluate", new { expression, returnByValue = true, awaitPromise = true });
        return result.TryGetProperty("exceptionDetails", out _) ? null : result.GetProperty("result").TryGetProperty("value", out var value) ? value : null;
    }

    /// <summary>Polls <paramref name="condition"/> (JavaScript) until it is true: a browser moves on its own time.</summary>
    public async Task WaitFor(string condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if (await Evaluate($"!!({condition})") is { ValueKind: JsonValueKind.True })
                    return;
            }
            catch (InvalidOperationException)
            {
                // The page was being replaced; ask the next document.
            }
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
        throw new Xunit.Sdk.XunitException($"Waited {Patience.TotalSeconds} s for {what}; the page is {await Location()}: {await Text("body")}");
    }

    public async Task Fill(string selector, string value) =>
        await Evaluate($"(() => {{ const e = document.querySelector({JsonSerializer.Serialize(selector)}); e.value = {JsonSerializer.Serialize(value)}; return true; }})()");

    /// <summary>Clicks and waits until a new document has replaced this one and finished loading.</summary>
    public async Task ClickAndWaitForNextPage(string selector)
    {
        await Evaluate("window.__leftBehind = true");
        await Evaluate($"document.querySelector({JsonSerializer.Serialize(selector)}).click()");
        await WaitFor("window.__leftBehind !== true && document.readyState === 'complete'", $"the page after clicking {selector}");
    }

    public async Task<string> Location() => (await Evaluate("location.href"))?.GetString() ?? "";

    public async Task<string> Text(string selector) =>
        (await Evaluate($"document.querySelector({JsonSerializer.Serialize(selector)})?.innerText ?? ''"))?.GetString() ?? "";

    public async Task<string> Html() => (await Evaluate("document.documentElement.outerHTML"))?.GetString() ?? "";

    /// <summary>Saves what the page shows as a PNG, in PAYMENTS_SCREENSHOTS (e.g. docs/images) or the test's output folder.</summary>
    public async Task<string> Screenshot(string name)
    {
        var folder = Environment.GetEnvironmentVariable("PAYMENTS_SCREENSHOTS") is { Length: > 0 } configured
            ? configured
            : Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(folder);
        var shot = await Send("Page.captureScreenshot", new { format = "png", captureBeyondViewport = false });
        var path = Path.Combine(folder, name);
        await File.WriteAllBytesAsync(path, Convert.FromBase64String(shot.GetProperty("data").GetString()!));
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_reader is not null)
            await _reader;
        _page.Dispose();
        try
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        catch (InvalidOperationException)
        {
        }
        _process.Dispose();
        _stop.Dispose();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
