using System.Reflection;
using System.Reflection.Emit;
using System.Text.RegularExpressions;

namespace Payments.Processor.Tests.Architecture;

/// <summary>
/// Which top-level folder of a project uses which other, read from the compiled assembly: every type a folder's
/// types name in their signatures or call, read or create in their method bodies (IL), including lambdas and async
/// state machines. A type belongs to the folder of the source file that declares it.
/// </summary>
internal static partial class FolderDependencies
{
    private const BindingFlags Declared = BindingFlags.DeclaredOnly | BindingFlags.Public | BindingFlags.NonPublic
        | BindingFlags.Instance | BindingFlags.Static;

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(field => (OpCode)field.GetValue(null)!)
        .ToDictionary(code => code.Value);

    /// <summary>Folder → the folders it uses, each with one example "Type → Type" that makes the edge.</summary>
    public static Dictionary<string, Dictionary<string, string>> Of(Assembly assembly, string sourceDirectory)
    {
        var folders = FoldersOfDeclaredTypes(sourceDirectory);
        var graph = new Dictionary<string, Dictionary<string, string>>();
        foreach (var type in assembly.GetTypes())
        {
            if (FolderOf(type, assembly, folders) is not { } from)
                continue;
            foreach (var used in TypesUsedBy(type))
            {
                if (used.Assembly != assembly || FolderOf(used, assembly, folders) is not { } to || to == from)
                    continue;
                var edges = graph.TryGetValue(from, out var existing) ? existing : graph[from] = [];
                edges.TryAdd(to, $"{Outermost(type).Name} → {Outermost(used).Name}");
            }
        }

        return graph;
    }

    /// <summary>
    /// The edges that lie on a cycle ("A → B" where B leads back to A), each with the way back and the types that
    /// make the edge.
    /// </summary>
    public static SortedDictionary<string, string> CyclicEdges(Dictionary<string, Dictionary<string, string>> graph)
    {
        var cyclic = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (from, edges) in graph)
        {
            foreach (var (to, example) in edges)
            {
                if (PathBetween(graph, to, from) is { } back)
                    cyclic[$"{Display(from)} → {Display(to)}"] = $"back: {string.Join(" → ", back.Select(Display))}; e.g. {example}";
            }
        }

        return cyclic;
    }

    private static string Display(string folder) => folder.Length == 0 ? "(root)" : folder;

    private static List<string>? PathBetween(Dictionary<string, Dictionary<string, string>> graph, string start, string goal)
    {
        var cameFrom = new Dictionary<string, string> { [start] = start };
        var queue = new Queue<string>([start]);
        while (queue.TryDequeue(out var current))
        {
            if (current == goal)
            {
                var path = new List<string> { goal };
                while (path[0] != start)
                    path.Insert(0, cameFrom[path[0]]);
                return path;
            }

            foreach (var next in graph.GetValueOrDefault(current)?.Keys ?? Enumerable.Empty<string>())
            {
                if (cameFrom.TryAdd(next, current))
                    queue.Enqueue(next);
            }
        }

        return null;
    }

    private static string? FolderOf(Type type, Assembly assembly, Dictionary<string, string> folders)
    {
        var outer = Outermost(type);
        if (folders.TryGetValue(DeclaredName(outer), out var folder))
            return folder;
        // Generated types with no declaration of their own: by namespace.
        var root = assembly.GetName().Name!;
        if (outer.Namespace == root)
            return "";
        return outer.Namespace is { } ns && ns.StartsWith(root + ".", StringComparison.Ordinal)
            ? ns[(root.Length + 1)..].Split('.')[0]
            : null;
    }

    private static Type Outermost(Type type)
    {
        while (type.DeclaringType is { } outer)
            type = outer;
        return type.IsGenericType ? type.GetGenericTypeDefinition() : type;
    }

    private static string DeclaredName(Type type) =>
        (type.Namespace is { } ns ? ns + "." : "") + type.Name.Split('`')[0];

    private static Dictionary<string, string> FoldersOfDeclaredTypes(string sourceDirectory)
    {
        var folders = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(sourceDirectory, "*.cs", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(sourceDirectory, file).Split(Path.DirectorySeparatorChar);
            if (relative[0] is "bin" or "obj")
                continue;
            var folder = relative.Length > 1 ? relative[0] : "";
            var text = File.ReadAllText(file);
            var ns = FileScopedNamespace().Match(text) is { Success: true } match ? match.Groups["name"].Value + "." : "";
            foreach (Match declaration in Declaration().Matches(text))
                folders.TryAdd(ns + declaration.Groups["name"].Value, folder);
        }

        return folders;
    }

    [GeneratedRegex(@"^namespace\s+(?<name>[\w.]+)", RegexOptions.Multiline)]
    private static partial Regex FileScopedNamespace();

    [GeneratedRegex(@"^\s*(?:(?:public|internal|private|protected|sealed|static|abstract|partial|readonly|file)\s+)*(?:class|interface|struct|enum|record(?:\s+(?:struct|class))?)\s+(?<name>\w+)", RegexOptions.Multiline)]
    private static partial Regex Declaration();

    private static List<Type> TypesUsedBy(Type type)
    {
        var used = new List<Type>();
        used.AddRange(Unwrap(type.BaseType));
        foreach (var implemented in type.GetInterfaces())
            used.AddRange(Unwrap(implemented));
        foreach (var field in type.GetFields(Declared))
            used.AddRange(Unwrap(field.FieldType));
        foreach (var property in type.GetProperties(Declared))
            used.AddRange(Unwrap(property.PropertyType));
        foreach (var method in type.GetMethods(Declared).Cast<MethodBase>().Concat(type.GetConstructors(Declared)))
        {
            if (method is MethodInfo info)
                used.AddRange(Unwrap(info.ReturnType));
            foreach (var parameter in method.GetParameters())
                used.AddRange(Unwrap(parameter.ParameterType));
            used.AddRange(UsedInBody(method));
        }

        return used;
    }

    private static IEnumerable<Type> UsedInBody(MethodBase method)
    {
        var il = method.GetMethodBody()?.GetILAsByteArray();
        if (il is null)
            yield break;
        var typeArguments = method.DeclaringType is { IsGenericType: true } declaring ? declaring.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        var position = 0;
        while (position < il.Length)
        {
            short value = il[position++];
            if (value == 0xFE)
                value = (short)(0xFE00 | il[position++]);
            var code = OpCodesByValue[value];
            if (code.OperandType is OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineType or OperandType.InlineTok)
            {
                var token = BitConverter.ToInt32(il, position);
                MemberInfo? member;
                try
                {
                    member = method.Module.ResolveMember(token, typeArguments, methodArguments);
                }
                catch (ArgumentException)
                {
                    member = null;
                }

                foreach (var used in UsedBy(member))
                    yield return used;
            }

            position += OperandSize(code, il, position);
        }
    }

    private static IEnumerable<Type> UsedBy(MemberInfo? member) => member switch
    {
        Type type => Unwrap(type),
        MethodInfo { IsGenericMethod: true } generic => Unwrap(generic.DeclaringType)
            .Concat(generic.GetGenericArguments().SelectMany(Unwrap)),
        FieldInfo field => Unwrap(field.DeclaringType).Concat(Unwrap(field.FieldType)),
        MemberInfo other => Unwrap(other.DeclaringType),
        null => [],
    };

    private static int OperandSize(OpCode code, byte[] il, int position) => code.OperandType switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        OperandType.InlineSwitch => 4 + (4 * BitConverter.ToInt32(il, position)),
        _ => 4,
    };

    private static IEnumerable<Type> Unwrap(Type? type)
    {
        if (type is null || type.IsGenericParameter)
            yield break;
        if (type.HasElementType)
        {
            foreach (var element in Unwrap(type.GetElementType()))
                yield return element;
            yield break;
        }

        yield return type;
        if (type.IsGenericType)
        {
            foreach (var argument in type.GetGenericArguments().SelectMany(Unwrap))
                yield return argument;
        }
    }
}
