using System.Xml.Linq;
using Xunit;

namespace Payments.Processor.Tests.Hosting;

/// <summary>
/// The Dockerfiles restore from the project files alone before the sources come in (a restore layer that stays
/// cached while only code changes), pin their images, run as a non-root user, and the processor's ships no sandbox.
/// </summary>
public sealed class DockerfileTests
{
    /// <summary>The user the .NET 8+ images define, by id or by name.</summary>
    private static readonly string[] NonRootUsers = ["$APP_UID", "app"];

    public static TheoryData<string> Dockerfiles() =>
        new(Directory.GetFiles(ComposeFile.RepositoryFile("infra", "docker"), "*.Dockerfile").Select(Path.GetFileName).OfType<string>());

    [Theory]
    [MemberData(nameof(Dockerfiles))]
    public void Restore_runs_on_the_project_files_before_the_sources_are_copied(string dockerfile)
    {
        var lines = Instructions(dockerfile);
        var restore = lines.FindIndex(l => l.StartsWith("RUN dotnet restore", StringComparison.Ordinal));
        var sources = lines.FindIndex(l => l.StartsWith("COPY src/ ", StringComparison.Ordinal));

        Assert.True(restore > 0, $"{dockerfile} has no RUN dotnet restore");
        Assert.True(sources > restore, $"{dockerfile} copies the sources before it restores");
        Assert.DoesNotContain(lines, l => l.StartsWith("COPY . ", StringComparison.Ordinal));
        var copiedBeforeRestore = lines.Take(restore).Where(l => l.StartsWith("COPY ", StringComparison.Ordinal))
            .SelectMany(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..^1]).ToList();
        Assert.All(copiedBeforeRestore, file => Assert.True(
            file.EndsWith(".csproj", StringComparison.Ordinal) || file.EndsWith(".props", StringComparison.Ordinal) || file == "global.json",
            $"{dockerfile} copies {file} before restore, so a change to it re-runs the restore"));
    }

    [Theory]
    [MemberData(nameof(Dockerfiles))]
    public void Every_project_the_restored_one_needs_is_copied_before_the_restore(string dockerfile)
    {
        var lines = Instructions(dockerfile);
        var restore = lines.First(l => l.StartsWith("RUN dotnet restore", StringComparison.Ordinal));
        var restored = restore.Split(' ').First(part => part.EndsWith(".csproj", StringComparison.Ordinal));
        var copied = lines.TakeWhile(l => l != restore).Where(l => l.StartsWith("COPY ", StringComparison.Ordinal))
            .Select(l => l.Split(' ')[1]).ToHashSet();

        foreach (var project in ProjectsPublished(restored))
            Assert.True(copied.Contains(project), $"{dockerfile} restores {restored} without {project}");
    }

    [Theory]
    [MemberData(nameof(Dockerfiles))]
    public void The_image_runs_as_a_non_root_user_on_pinned_images(string dockerfile)
    {
        var lines = Instructions(dockerfile);
        var finalStage = lines.FindLastIndex(l => l.StartsWith("FROM ", StringComparison.Ordinal));
        var user = lines.FindLastIndex(l => l.StartsWith("USER ", StringComparison.Ordinal));
        var entrypoint = lines.FindIndex(l => l.StartsWith("ENTRYPOINT ", StringComparison.Ordinal));

        Assert.True(user > finalStage && user < entrypoint, $"{dockerfile} runs its entry point as root");
        Assert.Contains(lines[user]["USER ".Length..].Trim(), NonRootUsers);
        Assert.All(lines.Where(l => l.StartsWith("FROM ", StringComparison.Ordinal)).Select(l => l.Split(' ')[1]),
            image => Assert.True(DockerComposeTests.IsPinned(image), $"{dockerfile}: {image} is not pinned to a version"));
    }

    [Fact]
    public void The_processor_image_is_published_without_the_sandbox()
    {
        var lines = Instructions("Processor.Dockerfile");

        Assert.Contains(lines, l => l.StartsWith("RUN dotnet restore", StringComparison.Ordinal) && l.Contains("-p:IncludeEmbeddedSandbox=false", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("RUN dotnet publish", StringComparison.Ordinal) && l.Contains("-p:IncludeEmbeddedSandbox=false", StringComparison.Ordinal));
        Assert.DoesNotContain("src/Payments.Sandbox/Payments.Sandbox.csproj", ProjectsPublished("src/Payments.Processor/Payments.Processor.csproj"));
    }

    /// <summary>The Dockerfile's instructions, continuation lines joined, comments and blank lines dropped.</summary>
    private static List<string> Instructions(string dockerfile) =>
        File.ReadAllText(ComposeFile.RepositoryFile("infra", "docker", dockerfile))
            .Replace("\\\n", " ", StringComparison.Ordinal)
            .Split('\n')
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .ToList();

    /// <summary>
    /// The project and every project it references, transitively, as repository paths; references that only a
    /// development build takes (conditioned on IncludeEmbeddedSandbox) are not published.
    /// </summary>
    private static HashSet<string> ProjectsPublished(string project)
    {
        var found = new HashSet<string>();
        var pending = new Stack<string>([project]);
        while (pending.TryPop(out var current))
        {
            if (!found.Add(current))
                continue;
            var references = XDocument.Load(ComposeFile.RepositoryFile(current.Split('/')))
                .Descendants("ProjectReference")
                .Where(r => r.Parent?.Attribute("Condition")?.Value.Contains("IncludeEmbeddedSandbox", StringComparison.Ordinal) != true)
                .Select(r => r.Attribute("Include")!.Value.Replace('\\', '/'));
            foreach (var reference in references)
                pending.Push(Path.GetRelativePath(ComposeFile.RepositoryFile(), Path.GetFullPath(Path.Combine(Path.GetDirectoryName(ComposeFile.RepositoryFile(current.Split('/')))!, reference))).Replace('\\', '/'));
        }
        return found;
    }
}
