using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Payments.Benchmarks.EndToEnd;

/// <summary>
/// One processor as a process of its own (<c>dotnet Payments.Processor.dll</c>), configured by environment variables
/// for RabbitMQ, PostgreSQL and the standalone sandbox, its console output kept in a log file.
/// </summary>
public sealed class ProcessorProcess : IAsyncDisposable
{
    private readonly ProcessStartInfo _start;
    private readonly string _logPath;
    private readonly Lock _logGate = new();
    private Process? _process;
    private StreamWriter? _log;

    private ProcessorProcess(ProcessStartInfo start, string logPath, Uri address)
    {
        _start = start;
        _logPath = logPath;
        Address = address;
    }

    public Uri Address { get; }
    public int ProcessId => _process?.Id ?? 0;
    public string LogPath => _logPath;

    /// <summary>
    /// The card-encryption key of every processor of a run, and of each restart: they share queues, so a charge one
    /// sealed another must open. A benchmark's cards are test cards; the key is no secret.
    /// </summary>
    private const string CardKey = "fY+i02NtNquFe1+Jovm88GJ8yXc5nHV5s47ow8bHCqI=";

    public static ProcessorProcess Create(string assembly, TestServices services, Uri sandbox, string logPath, string merchantApiKey, string opsApiKey)
    {
        var address = new Uri($"http://127.0.0.1:{LoopbackPort.Free()}");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(assembly)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(assembly);
        var environment = new Dictionary<string, string>
        {
            ["Urls"] = address.ToString(),
            ["RabbitMq__Host"] = services.RabbitMqHost,
            ["RabbitMq__Port"] = services.RabbitMqPort.ToString(CultureInfo.InvariantCulture),
            ["RabbitMq__VirtualHost"] = services.VirtualHost,
            ["Database__Provider"] = "PostgreSql",
            ["ConnectionStrings__Payments"] = services.ConnectionString,
            ["Sandbox__Embedded"] = "false",
            ["Gateways__Singapay__BaseUrl"] = new Uri(sandbox, "singapay").ToString(),
            ["Gateways__Finpay__BaseUrl"] = new Uri(sandbox, "finpay").ToString(),
            ["Auth__MerchantApiKeys__0"] = merchantApiKey,
            ["Auth__OpsApiKeys__0"] = opsApiKey,
            ["Payments__CardEncryption__CurrentKeyId"] = "bench",
            ["Payments__CardEncryption__Keys__bench"] = CardKey,
            ["OTEL_TRACES_EXPORTER"] = "none",
            ["OTEL_METRICS_EXPORTER"] = "none",
            ["Logging__LogLevel__Default"] = "Warning",
            ["DOTNET_gcServer"] = "0",
        };
        foreach (var (name, value) in environment)
            start.Environment[name] = value;
        return new ProcessorProcess(start, logPath, address);
    }

    /// <summary>Starts the process and waits until GET /health/ready answers 200.</summary>
    public async Task StartAsync(TimeSpan timeout)
    {
        lock (_logGate)
            _log ??= new StreamWriter(_logPath, append: true) { AutoFlush = true };
        _process = Process.Start(_start) ?? throw new InvalidOperationException("could not start the processor");
        _process.OutputDataReceived += (_, line) => WriteLog(line.Data);
        _process.ErrorDataReceived += (_, line) => WriteLog(line.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        using var http = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"the processor exited with {_process.ExitCode} at start; see {_logPath}");
            try
            {
                using var response = await http.GetAsync(new Uri("/health/ready", UriKind.Relative));
                if (response.StatusCode == HttpStatusCode.OK)
                    return;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            await Task.Delay(250);
        }
        throw new TimeoutException($"the processor was not ready within {timeout.TotalSeconds:F0} s; see {_logPath}");
    }

    /// <summary>VmRSS from /proc/&lt;pid&gt;/status, in MB; null when the process is gone.</summary>
    public double? ResidentMegabytes()
    {
        if (_process is null || _process.HasExited)
            return null;
        try
        {
            var line = File.ReadLines($"/proc/{_process.Id}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            var kilobytes = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
            return kilobytes is null ? null : double.Parse(kilobytes, CultureInfo.InvariantCulture) / 1024;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>SIGKILL: no shutdown, no flush, as a crash or an OOM kill.</summary>
    public async Task KillAsync()
    {
        if (_process is null || _process.HasExited)
            return;
        _process.Kill(entireProcessTree: false);
        await _process.WaitForExitAsync();
        _process.Dispose();
        _process = null;
    }

    /// <summary>SIGTERM and a graceful shutdown, then SIGKILL after 30 s.</summary>
    public async Task StopAsync()
    {
        if (_process is null)
            return;
        if (!_process.HasExited)
        {
            using (var terminate = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
                await terminate.WaitForExitAsync();
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await _process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill();
                await _process.WaitForExitAsync();
            }
        }
        _process.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        lock (_logGate)
        {
            _log?.Dispose();
            _log = null;
        }
    }

    private void WriteLog(string? line)
    {
        if (line is null)
            return;
        lock (_logGate)
            _log?.WriteLine(line);
    }
}

public static class LoopbackPort
{
    /// <summary>A port free on 127.0.0.1 right now (the OS picks it).</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
