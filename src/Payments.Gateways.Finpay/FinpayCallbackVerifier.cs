using System.Text.Json;
using Microsoft.Extensions.Options;
using Payments.Contracts;

namespace Payments.Gateways.Finpay;

/// <summary>
/// Verifies Finpay callbacks by their <c>signature</c> field (<see cref="FinpayCallbackSignature"/>).
/// <para>
/// Finpay does not publish the card notification's body; it is assumed to be (and the sandbox sends)
/// <c>{"responseCode":"2000000","responseMessage":"Success","status":"PAID","order":{"id":"…","amount":"1000",
/// "currency":"IDR"},"data":{"id":"C-…","authorizationCode":"…","reference":"…"},"signature":"…"}</c>:
/// order.id is the merchant reference, status a Finpay payment status (<see cref="FinpayPaymentStatuses"/>).
/// </para>
/// </summary>
public sealed class FinpayCallbackVerifier(IOptions<FinpayOptions> options) : IGatewayCallbackVerifier
{
    public string Gateway => PaymentGateways.Finpay;

    public CallbackVerification Verify(GatewayCallbackRequest request)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(FinpayCallbackSignature.WithoutByteOrderMark(request.Body).ToArray());
        }
        catch (JsonException)
        {
            return new CallbackVerification { Trust = CallbackTrust.Forged, Reason = "the body is not JSON, so its signature cannot be checked" };
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                return new CallbackVerification { Trust = CallbackTrust.Forged, Reason = "the body is not a JSON object" };

            var reference = FinpayJson.Text(FinpayJson.Property(root, "order"), "id");
            var report = Report(root);
            var signature = FinpayJson.Text(root, FinpayCallbackSignature.Field);

            if (string.IsNullOrWhiteSpace(signature))
                return Result(CallbackTrust.Unsigned, "no signature field", reference, report);

            try
            {
                // The merchant key, then, during a rotation, the previous one.
                foreach (var key in new[] { options.Value.MerchantKey, options.Value.PreviousMerchantKey })
                {
                    if (!string.IsNullOrWhiteSpace(key) && FinpayCallbackSignature.Matches(FinpayCallbackSignature.Compute(key, request.Body), signature))
                        return Result(CallbackTrust.Verified, null, reference, report);
                }
            }
            catch (JsonException)
            {
                return Result(CallbackTrust.Forged, "the body cannot be re-encoded for its signature", reference, report);
            }
            return Result(CallbackTrust.Forged, "signature does not match", reference, report);
        }
    }

    private static InquiryResult? Report(JsonElement root)
    {
        var status = FinpayJson.Text(root, "status");
        if (status is null)
            return null;
        var data = FinpayJson.Property(root, "data");
        var gatewayStatus = FinpayPaymentStatuses.ToGatewayStatus(status);
        var code = FinpayJson.Text(root, "responseCode");
        return new InquiryResult
        {
            Status = gatewayStatus,
            GatewayTransactionId = FinpayJson.Text(data, "id"),
            AuthorizationCode = FinpayJson.Text(data, "authorizationCode"),
            ResponseCode = code,
            ResponseMessage = FinpayJson.Text(root, "responseMessage") ?? status,
            FailureCode = gatewayStatus is GatewayPaymentStatus.Failed or GatewayPaymentStatus.Cancelled
                ? FinpayFailureCodes.ForPayment(gatewayStatus, code)
                : null,
        };
    }

    private static CallbackVerification Result(CallbackTrust trust, string? reason, string? reference, InquiryResult? report) => new()
    {
        Trust = trust,
        Reason = reason,
        MerchantReference = reference,
        Report = report,
    };
}
