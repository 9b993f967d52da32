using System.Diagnostics;

namespace Payments.Benchmarks.EndToEnd;

/// <summary>Runs a command to its end and returns what it printed; stderr is passed through so a script's notes show.</summary>
public static class ShellCommand
{
    public static async Task<string> RunAsync(string fileName, IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string>? environment = null, bool throwOnFailure = true)
    {
        var start = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            start.Environment[name] = value;

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {fileName}");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var errorText = await errors;
        if (errorText.Length > 0)
            Console.Error.Write(errorText);
        if (throwOnFailure && process.ExitCode != 0)
            throw new InvalidOperationException($"{fileName} {string.Join(' ', start.ArgumentList)} exited with {process.ExitCode}");
        return await output;
    }
}
