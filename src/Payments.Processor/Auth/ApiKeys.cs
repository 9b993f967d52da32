using System.Security.Cryptography;
using System.Text;
using Payments.Processor.Configuration;
using Payments.Processor.Hosting;

namespace Payments.Processor.Auth;

/// <summary>
/// The bearer keys the HTTP API accepts, read once at start: <c>Auth:MerchantApiKeys</c> open the payments endpoints,
/// <c>Auth:OpsApiKeys</c> open /ops. Each is a list so a key can be rotated: add the new one, move callers, remove the old.
/// </summary>
public sealed class ApiKeys
{
    public const string MerchantKeysSetting = "Auth:MerchantApiKeys";
    public const string OpsKeysSetting = "Auth:OpsApiKeys";
    public const int MinimumKeyLength = 16;

    private readonly byte[][] _merchantKeyHashes;
    private readonly byte[][] _opsKeyHashes;

    public ApiKeys(IReadOnlyList<string> merchantKeys, IReadOnlyList<string> opsKeys, bool generated = false)
    {
        MerchantKeys = merchantKeys;
        OpsKeys = opsKeys;
        Generated = generated;
        _merchantKeyHashes = merchantKeys.Select(Hash).ToArray();
        _opsKeyHashes = opsKeys.Select(Hash).ToArray();
    }

    public IReadOnlyList<string> MerchantKeys { get; }
    public IReadOnlyList<string> OpsKeys { get; }

    /// <summary>True when no keys were configured and these were made up for this run (embedded defaults only).</summary>
    public bool Generated { get; }

    /// <summary>
    /// Reads the key lists. With none configured, a durable processor refuses to start; the embedded default makes up
    /// one key of each kind, so the README's walk-through works in one command.
    /// </summary>
    public static ApiKeys Read(IConfiguration configuration, bool durable)
    {
        var merchantKeys = ReadList(configuration, MerchantKeysSetting);
        var opsKeys = ReadList(configuration, OpsKeysSetting);
        if (merchantKeys.Count == 0 && opsKeys.Count == 0 && !durable)
            return new ApiKeys([NewKey("merchant")], [NewKey("ops")], generated: true);
        if (merchantKeys.Count == 0)
            throw new InvalidSettingException(MerchantKeysSetting,
                "is required: list at least one key for the payments endpoints, e.g. Auth__MerchantApiKeys__0=<a long random string>");
        return new ApiKeys(merchantKeys, opsKeys);
    }

    /// <summary>The roles a presented key grants; compared in constant time against every configured key.</summary>
    public IReadOnlyList<string> RolesOf(string presentedKey)
    {
        var presented = Hash(presentedKey);
        var roles = new List<string>(2);
        if (MatchesAny(presented, _merchantKeyHashes))
            roles.Add(ApiKeyRoles.Merchant);
        if (MatchesAny(presented, _opsKeyHashes))
            roles.Add(ApiKeyRoles.Ops);
        return roles;
    }

    /// <summary>Every hash is compared, match or not, so the time taken says nothing about which key came close.</summary>
    private static bool MatchesAny(byte[] presented, byte[][] keys)
    {
        var matched = false;
        foreach (var key in keys)
            matched |= CryptographicOperations.FixedTimeEquals(presented, key);
        return matched;
    }

    // Hashing first gives equal lengths, so FixedTimeEquals does not reveal a key's length either.
    private static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    private static List<string> ReadList(IConfiguration configuration, string setting)
    {
        var section = configuration.GetSection(setting);
        // A list (Auth:MerchantApiKeys:0, :1, …) or one comma-separated value (Auth__MerchantApiKeys=a,b).
        var values = section.GetChildren().Select(child => child.Value).Append(section.Value)
            .SelectMany(value => (value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        if (values.FirstOrDefault(key => key.Length < MinimumKeyLength) is not null)
            throw new InvalidSettingException(setting, $"has a key shorter than {MinimumKeyLength} characters: use long random strings");
        return values;
    }

    private static string NewKey(string kind) =>
        $"{kind}_{Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_')}";
}

/// <summary>What a key opens; carried as role claims of the authenticated caller.</summary>
public static class ApiKeyRoles
{
    public const string Merchant = "merchant";
    public const string Ops = "ops";
}
