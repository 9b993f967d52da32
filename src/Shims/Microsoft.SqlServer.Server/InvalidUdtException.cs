namespace Microsoft.SqlServer.Server;

/// <summary>Thrown when a user-defined type is declared or used incorrectly.</summary>
public sealed class InvalidUdtException : SystemException
{
    private InvalidUdtException(string message)
        : base(message)
    {
    }

    public static InvalidUdtException Create(Type udtType, string resourceReason) =>
        new($"'{udtType.FullName}' is an invalid user-defined type: {resourceReason}");
}
