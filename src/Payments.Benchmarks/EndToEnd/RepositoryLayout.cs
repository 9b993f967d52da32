namespace Payments.Benchmarks.EndToEnd;

/// <summary>Where the repository's scripts and the built processor are, found from this program's own location.</summary>
public static class RepositoryLayout
{
    public static string Root { get; } = FindRoot();

    public static string TestServicesScript(string name) => Path.Combine(Root, "infra", "test-services", name);

    /// <summary>The processor built with the same configuration as this program (Release or Debug), else the other.</summary>
    public static string ProcessorAssembly(string? given)
    {
        if (given is not null)
            return File.Exists(given) ? Path.GetFullPath(given) : throw new ArgumentException($"--processor: no file '{given}'");

        var ours = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
            ? "Debug" : "Release";
        var candidates = new[] { ours, ours == "Release" ? "Debug" : "Release" }
            .Select(configuration => Path.Combine(Root, "src", "Payments.Processor", "bin", configuration, "net10.0", "Payments.Processor.dll"));
        return candidates.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException(
                "No built processor found; run `dotnet build Payments.sln -c Release` first, or give --processor <path>.");
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Payments.sln")))
                return directory.FullName;
        }
        throw new InvalidOperationException($"Payments.sln not found above {AppContext.BaseDirectory}");
    }
}
