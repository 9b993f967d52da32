using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace Payments.Sandbox.Finpay;

/// <summary>Every Finpay API call carries Authorization: Basic base64(merchantId:merchantKey).</summary>
internal static class FinpayBasicAuth
{
    public static bool IsAuthorized(HttpRequest request, FinpaySandboxOptions merchant)
    {
        if (!AuthenticationHeaderValue.TryParse(request.Headers.Authorization, out var header)
            || !string.Equals(header.Scheme, "Basic", StringComparison.OrdinalIgnoreCase)
            || header.Parameter is null)
            return false;

        byte[] presented;
        try
        {
            presented = Convert.FromBase64String(header.Parameter);
        }
        catch (FormatException)
        {
            return false;
        }
        var expected = Encoding.UTF8.GetBytes($"{merchant.MerchantId}:{merchant.MerchantKey}");
        return CryptographicOperations.FixedTimeEquals(presented, expected);
    }
}
