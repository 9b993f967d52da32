using Payments.Processor.Tests.Persistence;
using YamlDotNet.RepresentationModel;

namespace Payments.Processor.Tests.Hosting;

/// <summary>docker-compose.yml as its YAML structure: the services, and the parts of each the tests look at.</summary>
internal sealed class ComposeFile
{
    private ComposeFile(YamlMappingNode services) => Services = services.Children
        .ToDictionary(s => ((YamlScalarNode)s.Key).Value!, s => (YamlMappingNode)s.Value);

    public static string RepositoryFile(params string[] path) =>
        Path.Combine([SqlServerSchemaTests.RepositoryRoot(), .. path]);

    public static ComposeFile Load()
    {
        var yaml = new YamlStream();
        using (var reader = new StreamReader(RepositoryFile("docker-compose.yml")))
            yaml.Load(reader);
        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        return new ComposeFile((YamlMappingNode)root.Children[new YamlScalarNode("services")]);
    }

    public IReadOnlyDictionary<string, YamlMappingNode> Services { get; }

    public static YamlNode? Get(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    public static IReadOnlyList<string> Strings(YamlNode? node) => node switch
    {
        YamlSequenceNode sequence => sequence.Children.OfType<YamlScalarNode>().Select(s => s.Value!).ToList(),
        YamlScalarNode scalar => [scalar.Value!],
        _ => [],
    };

    /// <summary>A service's environment as configuration keys ("RabbitMq__Host" becomes "RabbitMq:Host").</summary>
    public Dictionary<string, string> Environment(string service) =>
        Strings(Get(Services[service], "environment"))
            .Select(entry => entry.Split('=', 2))
            .ToDictionary(pair => pair[0].Replace("__", ":", StringComparison.Ordinal), pair => pair.Length > 1 ? pair[1] : "");
}
