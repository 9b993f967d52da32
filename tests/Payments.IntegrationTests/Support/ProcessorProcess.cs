using System.Diagnostics;

namespace Payments.IntegrationTests.Support;

/// <summary>The processor as its own OS process, so a test can kill it as a crash would and start it again.</summary>
public sealed class ProcessorProcess(Dictionary<string, string> settings) : IDisposable
{
    private Process? _process;
    public List<string> Output { get; } = [];

    public static string ProcessorDll
    {
        get
        {
            // Same configuration as this test assembly (bin/Release/net10.0 or bin/Debug/net10.0).
            var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
            var dll = Path.Combine(TestServices.RepositoryRoot, "src", "Payments.Processor", "bin", configuration, "net10.0", "Payments.Processor.dll");
            return File.Exists(dll) ? dll : throw new FileNotFoundException("Build the solution first", dll);
        }
    }

    public void Start()
    {
        var start = new ProcessStartInfo("dotnet", [ProcessorDll])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(ProcessorDll)!,
        };
        foreach (var (key, value) in settings)
            start.Environment[key.Replace(":", "__")] = value;
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (Output) Output.Add(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (Output) Output.Add(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>SIGKILL: no shutdown, no flush, exactly like a crash.</summary>
    public void Kill()
    {
        _process?.Kill(entireProcessTree: true);
        _process?.WaitForExit();
    }

    public void Dispose()
    {
        if (_process is { HasExited: false })
            Kill();
        _process?.Dispose();
    }
}
