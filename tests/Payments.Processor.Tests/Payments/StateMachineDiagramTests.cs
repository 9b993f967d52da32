using System.Text.RegularExpressions;
using MassTransit;
using MassTransit.SagaStateMachine;
using Payments.Processor.Tests.Persistence;
using Payments.Processor.Tests.Support;
using Xunit;

namespace Payments.Processor.Tests.Payments;

/// <summary>
/// The Mermaid diagram in docs/state-machine.md draws exactly the arrows the code has. MassTransit's graph joins states
/// to events and events to target states, so both sides are compared as those two sets of pairs.
/// </summary>
public sealed partial class StateMachineDiagramTests
{
    [Fact]
    public async Task The_documented_diagram_matches_the_state_machine()
    {
        await using var harness = await SagaHarness.Start();
        var graph = harness.Machine.GetGraph();
        var code = graph.Edges
            .Select(e => (From: Name(e.From), To: Name(e.To), FromState: e.From.VertexType == typeof(State)))
            .ToList();
        var codeStateToEvent = code.Where(e => e.FromState).Select(e => (e.From, e.To)).ToHashSet();
        var codeEventToState = code.Where(e => !e.FromState).Select(e => (e.From, e.To)).ToHashSet();

        var arrows = DocumentedArrows();
        var docsStateToEvent = arrows.Select(a => (a.From, a.Event)).ToHashSet();
        var docsEventToState = arrows.Select(a => (a.Event, a.To)).ToHashSet();

        Assert.NotEmpty(codeStateToEvent);
        Assert.Equal(Sorted(codeStateToEvent), Sorted(docsStateToEvent));
        Assert.Equal(Sorted(codeEventToState), Sorted(docsEventToState));
    }

    private static string Name(Vertex vertex) => vertex.VertexType == typeof(State) && vertex.Title == "Initial" ? "[*]" : vertex.Title;

    private static List<(string From, string Event, string To)> DocumentedArrows()
    {
        var text = File.ReadAllText(Path.Combine(SqlServerSchemaTests.RepositoryRoot(), "docs", "state-machine.md"));
        var diagram = Regex.Match(text, "```mermaid\\s*\\nstateDiagram-v2\\n(?<body>.*?)```", RegexOptions.Singleline).Groups["body"].Value;
        return Arrow().Matches(diagram)
            .Select(m => (m.Groups["from"].Value, m.Groups["event"].Value, m.Groups["to"].Value))
            .ToList();
    }

    private static List<string> Sorted(IEnumerable<(string, string)> pairs) =>
        pairs.Select(p => $"{p.Item1} -> {p.Item2}").Order(StringComparer.Ordinal).ToList();

    [GeneratedRegex(@"^\s*(?<from>\S+) --> (?<to>\S+): (?<event>\w+)", RegexOptions.Multiline)]
    private static partial Regex Arrow();
}
