namespace Microsoft.SqlServer.Server;

/// <summary>Marks a CLR type as a SQL Server user-defined type and says how it is stored.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = false, Inherited = true)]
public sealed class SqlUserDefinedTypeAttribute : Attribute
{
    private int _maxByteSize;

    public SqlUserDefinedTypeAttribute(Format format)
    {
        Format = format;
    }

    /// <summary>Largest serialized size in bytes; -1 means up to 2 GB.</summary>
    public int MaxByteSize
    {
        get => _maxByteSize;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, -1);
            _maxByteSize = value;
        }
    }

    public bool IsFixedLength { get; set; }

    public bool IsByteOrdered { get; set; }

    public Format Format { get; }

    public string? ValidationMethodName { get; set; }

    public string? Name { get; set; }
}
