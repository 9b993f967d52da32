using System.IO;

namespace Microsoft.SqlServer.Server;

/// <summary>Custom binary serialization for user-defined types and aggregates declared with <see cref="Format.UserDefined"/>.</summary>
public interface IBinarySerialize
{
    void Read(BinaryReader r);

    void Write(BinaryWriter w);
}
