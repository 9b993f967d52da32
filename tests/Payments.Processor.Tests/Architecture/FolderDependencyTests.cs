using System.Reflection;
using Payments.Processor.Tests.Persistence;
using Xunit;

namespace Payments.Processor.Tests.Architecture;

/// <summary>No folder of a project uses a folder that uses it back: each folder can be read, and changed, on its own.</summary>
public sealed class FolderDependencyTests
{
    [Theory]
    [InlineData("Payments.Processor")]
    [InlineData("Payments.Persistence")]
    public void No_folder_depends_on_a_folder_that_depends_back_on_it(string project)
    {
        var cyclic = CyclicEdges(project);

        Assert.True(cyclic.Count == 0, $"{project}: folders that depend on each other:\n"
            + string.Join("\n", cyclic.Select(edge => $"{edge.Key} ({edge.Value})")));
    }

    [Fact]
    public void The_check_sees_uses_inside_method_bodies()
    {
        var graph = Graph("Payments.Persistence");

        // The scheduler's claim reaches Dialects only from a method body.
        Assert.Contains("Dialects", graph["Scheduling"].Keys);
        Assert.Contains("Dialects", graph["Outbox"].Keys);
    }

    [Fact]
    public void A_cycle_is_named_with_its_way_back_and_the_types_that_make_it()
    {
        var graph = new Dictionary<string, Dictionary<string, string>>
        {
            ["A"] = new() { ["B"] = "A1 → B1" },
            ["B"] = new() { ["C"] = "B1 → C1" },
            ["C"] = new() { ["A"] = "C1 → A1" },
            ["D"] = new() { ["A"] = "D1 → A1" },
        };

        var cyclic = FolderDependencies.CyclicEdges(graph);

        Assert.Equal(["A → B", "B → C", "C → A"], cyclic.Keys);
        Assert.Equal("back: B → C → A; e.g. A1 → B1", cyclic["A → B"]);
    }

    private static SortedDictionary<string, string> CyclicEdges(string project) => FolderDependencies.CyclicEdges(Graph(project));

    private static Dictionary<string, Dictionary<string, string>> Graph(string project)
    {
        var graph = FolderDependencies.Of(Assembly.Load(project), Path.Combine(SqlServerSchemaTests.RepositoryRoot(), "src", project));
        Assert.True(graph.Count > 1, $"{project}: found no dependencies between folders, so the check would prove nothing.");
        return graph;
    }
}
