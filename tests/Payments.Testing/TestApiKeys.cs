using System.Net.Http.Headers;

namespace Payments.Testing;

/// <summary>
/// The API keys the test processors are configured with. <see cref="Fixture"/> is in both lists, so a fixture's
/// client reaches every endpoint; the others are each in one list only, second in it, as after a key rotation.
/// </summary>
public static class TestApiKeys
{
    public const string Fixture = "fixture-key-opens-payments-and-ops";
    public const string MerchantOnly = "merchant-key-rotated-in-second";
    public const string OpsOnly = "ops-key-rotated-in-second";

    public static Dictionary<string, string?> Settings() => new()
    {
        ["Auth:MerchantApiKeys:0"] = Fixture,
        ["Auth:MerchantApiKeys:1"] = MerchantOnly,
        ["Auth:OpsApiKeys:0"] = Fixture,
        ["Auth:OpsApiKeys:1"] = OpsOnly,
    };

    public static HttpClient Client(Uri address, string? key = Fixture)
    {
        var client = new HttpClient { BaseAddress = address };
        if (key is not null)
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }
}
