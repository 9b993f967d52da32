using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Payments.Contracts;
using Polly.Timeout;

namespace Payments.Gateways.Singapay;

/// <summary>
/// Singapay behind the gateway port: one-time card payments (full or installment), inquiry and cancel.
/// Translates Singapay's answers and transport failures into the port's results; see singapay.md's code table.
/// </summary>
public sealed partial class SingapayGateway(SingapayClient client, IOptions<SingapayOptions> options, ILogger<SingapayGateway> logger)
    : IPaymentGateway
{
    public string Name => PaymentGateways.Singapay;

    public async Task<ChargeResult> ChargeAsync(ChargeRequested charge, CancellationToken cancellationToken)
    {
        var accountId = charge.AccountId ?? options.Value.AccountId;
        var payment = SingapayCardPaymentRequest.From(charge);
        var cardMasked = CardMask.Mask(payment.CardNumber);

        SingapayReply<SingapayPaymentData> reply;
        try
        {
            reply = await client.PayAsync(accountId, payment, cancellationToken).ConfigureAwait(false);
        }
        catch (GatewayUnavailableException)
        {
            throw;
        }
        catch (SingapayAuthenticationException exception)
        {
            // No token, so the payment was never sent.
            throw new GatewayUnavailableException(Name, $"no access token ({exception.Code}); the charge was not sent", exception);
        }
        catch (Exception exception) when (Transport.Describe(exception, cancellationToken) is { } failure)
        {
            LogChargeOutcomeUnknown(logger, charge.MerchantReference, cardMasked, failure);
            return ChargeResult.Unknown(failure, "The charge may have reached Singapay; inquire before deciding.");
        }

        var result = MapCharge(reply, cardMasked);
        LogCharge(logger, charge.MerchantReference, cardMasked, result.Kind, result.ResponseCode, result.ResponseMessage);
        return result;
    }

    public async Task<InquiryResult> InquireAsync(GatewayPaymentReference reference, CancellationToken cancellationToken)
    {
        var accountId = reference.AccountId ?? options.Value.AccountId;
        // Without Singapay's id (the charge timed out) the merchant reference is used as {id}: an assumption, since
        // Singapay documents transaction_id, provider_transaction_id and its numeric id there.
        var id = reference.GatewayTransactionId ?? reference.MerchantReference;

        SingapayReply<SingapayTransactionData> reply;
        try
        {
            reply = await client.InquireAsync(accountId, id, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (Transport.DescribeForRepeatableCall(exception, cancellationToken) is { } failure)
        {
            LogInquiryFailed(logger, reference.MerchantReference, failure);
            return InquiryResult.Unknown(failure, "Singapay could not be asked; ask again later.");
        }

        return MapInquiry(reply);
    }

    public async Task<CancelResult> CancelAsync(GatewayPaymentReference reference, CancellationToken cancellationToken)
    {
        var accountId = reference.AccountId ?? options.Value.AccountId;
        var id = reference.GatewayTransactionId ?? reference.MerchantReference;

        SingapayReply<SingapayCancelData> reply;
        try
        {
            reply = await client.CancelAsync(accountId, id, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (Transport.DescribeForRepeatableCall(exception, cancellationToken) is { } failure)
        {
            LogCancelFailed(logger, reference.MerchantReference, failure);
            return new CancelResult { Cancelled = false, ResponseCode = failure, ResponseMessage = "Singapay could not be reached; try again." };
        }

        var cancelled = reply.ResponseCode == SingapayResponseCodes.Success
                        && string.Equals(reply.Data?.Status, SingapayStatuses.Success, StringComparison.OrdinalIgnoreCase);
        LogCancel(logger, reference.MerchantReference, reply.ResponseCode, reply.Data?.CancelType);
        return new CancelResult
        {
            Cancelled = cancelled,
            CancelType = reply.Data?.CancelType,
            ResponseCode = reply.ResponseCode ?? HttpCode(reply.HttpStatus),
            ResponseMessage = reply.ResponseMessage,
        };
    }

    /// <summary>Singapay's cancel takes its own ids only, like its inquiry; our reference is no way to find the payment.</summary>
    public string? CannotCancel(GatewayPaymentReference reference) =>
        string.IsNullOrEmpty(reference.GatewayTransactionId)
            ? "no Singapay transaction id is known for this payment, and Singapay cancels by its own id only: cancel it in Singapay's dashboard"
            : null;

    internal ChargeResult MapCharge(SingapayReply<SingapayPaymentData> reply, string cardMasked)
    {
        if (!reply.Parsed)
            return ChargeResult.Unknown(HttpCode(reply.HttpStatus), "Singapay's answer could not be read; inquire before deciding.");

        var data = reply.Data;
        switch (SingapayResponseCodes.ForCharge(reply.ResponseCode))
        {
            case ChargeCodeMeaning.Accepted when Is(data?.Action, "complete"):
                return new ChargeResult
                {
                    Kind = ChargeResultKind.Accepted,
                    GatewayTransactionId = data!.TransactionId,
                    ProviderTransactionId = data.ProviderTransactionId,
                    AuthorizationCode = data.ProviderAuthNo,
                    CardMasked = data.CardMasked ?? cardMasked,
                    ResponseCode = reply.ResponseCode,
                    ResponseMessage = reply.ResponseMessage,
                };
            case ChargeCodeMeaning.Accepted when Is(data?.Action, "redirect") && (data!.HtmlForm ?? data.PaymentUrl) is { Length: > 0 } html:
                return new ChargeResult
                {
                    Kind = ChargeResultKind.RedirectRequired,
                    GatewayTransactionId = data.TransactionId,
                    ProviderTransactionId = data.ProviderTransactionId,
                    CardMasked = data.CardMasked ?? cardMasked,
                    RedirectHtml = html,
                    // Singapay documents payment_url as HTML too; pass it on as a URL only when it is one.
                    PaymentUrl = IsHttpUrl(data.PaymentUrl) ? data.PaymentUrl : null,
                    ResponseCode = reply.ResponseCode,
                    ResponseMessage = reply.ResponseMessage,
                };
            case ChargeCodeMeaning.Accepted:
                return ChargeResult.Unknown(reply.ResponseCode!, $"SP000 with an unexpected action '{data?.Action}'; inquire before deciding.");
            case ChargeCodeMeaning.Declined:
                return new ChargeResult
                {
                    Kind = ChargeResultKind.Declined,
                    GatewayTransactionId = data?.TransactionId,
                    CardMasked = cardMasked,
                    ResponseCode = reply.ResponseCode,
                    ResponseMessage = reply.ResponseMessage,
                    FailureCode = SingapayFailureCodes.ForCharge(reply.ResponseCode, reply.ResponseMessage),
                };
            case ChargeCodeMeaning.TokenRejected:
                // SP013 even with a freshly fetched token: rejected before processing, so nothing was charged.
                throw new GatewayUnavailableException(Name, "access token refused twice (SP013); the charge was not processed");
            default:
                return new ChargeResult
                {
                    Kind = ChargeResultKind.OutcomeUnknown,
                    GatewayTransactionId = data?.TransactionId,
                    ResponseCode = reply.ResponseCode,
                    ResponseMessage = reply.ResponseMessage,
                };
        }
    }

    internal static InquiryResult MapInquiry(SingapayReply<SingapayTransactionData> reply)
    {
        if (!reply.Parsed)
            return InquiryResult.Unknown(HttpCode(reply.HttpStatus), "Singapay's answer could not be read.");
        if (reply.ResponseCode == SingapayResponseCodes.TransactionNotFound)
            return new InquiryResult { Status = GatewayPaymentStatus.NotFound, ResponseCode = reply.ResponseCode, ResponseMessage = reply.ResponseMessage };
        if (reply.ResponseCode != SingapayResponseCodes.Success || reply.Data is null)
            return InquiryResult.Unknown(reply.ResponseCode!, reply.ResponseMessage ?? "inquiry failed");
        return ToInquiryResult(reply.Data);
    }

    /// <summary>A transaction as an inquiry or callback reports it. The provider's result code is kept when it failed.</summary>
    internal static InquiryResult ToInquiryResult(SingapayTransactionData data)
    {
        var status = SingapayStatuses.ToGatewayStatus(data.Status);
        return new InquiryResult
        {
            FailureCode = status is GatewayPaymentStatus.Failed or GatewayPaymentStatus.Cancelled
                ? SingapayFailureCodes.ForTransaction(status, data.ProviderResultCode)
                : null,
            Status = status,
            GatewayTransactionId = data.TransactionId,
            AuthorizationCode = data.ProviderAuthNo,
            CardMasked = data.CardMasked,
            ResponseCode = status == GatewayPaymentStatus.Failed ? data.ProviderResultCode ?? data.Status : data.Status,
            ResponseMessage = status == GatewayPaymentStatus.Failed ? data.ProviderResultMessage : null,
            CancelType = SingapayStatuses.CancelTypeOf(data.Status),
        };
    }

    private static bool Is(string? value, string expected) => string.Equals(value, expected, StringComparison.OrdinalIgnoreCase);

    private static bool IsHttpUrl(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    private static string HttpCode(HttpStatusCode status) => $"HTTP {(int)status}";

    /// <summary>Names a transport failure for the audit trail; null when the exception is not one (it then propagates).</summary>
    [LoggerMessage(Level = LogLevel.Warning, Message = "Singapay charge {Reference} ({Card}): {Failure}; outcome unknown, to be settled by inquiry")]
    private static partial void LogChargeOutcomeUnknown(ILogger logger, string reference, string card, string failure);

    [LoggerMessage(Level = LogLevel.Information, Message = "Singapay charge {Reference} ({Card}): {Kind} {Code} {Message}")]
    private static partial void LogCharge(ILogger logger, string reference, string card, ChargeResultKind kind, string? code, string? message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Singapay inquiry {Reference}: {Failure}")]
    private static partial void LogInquiryFailed(ILogger logger, string reference, string failure);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Singapay cancel {Reference}: {Failure}")]
    private static partial void LogCancelFailed(ILogger logger, string reference, string failure);

    [LoggerMessage(Level = LogLevel.Information, Message = "Singapay cancel {Reference}: {Code} {CancelType}")]
    private static partial void LogCancel(ILogger logger, string reference, string? code, string? cancelType);

    private static class Transport
    {
        /// <summary>For a charge: anything after the request may have left is an unknown outcome.</summary>
        public static string? Describe(Exception exception, CancellationToken cancellationToken) => exception switch
        {
            TimeoutRejectedException => "timeout",
            HttpRequestException http => $"transport:{http.HttpRequestError}",
            // The caller gave up mid-call (e.g. shutdown): the POST may still have arrived.
            OperationCanceledException when cancellationToken.IsCancellationRequested => "cancelled",
            OperationCanceledException => "timeout",
            _ => null,
        };

        /// <summary>For inquiries and cancels: the same, plus an unavailable gateway or token; the caller's own cancellation propagates.</summary>
        public static string? DescribeForRepeatableCall(Exception exception, CancellationToken cancellationToken) => exception switch
        {
            OperationCanceledException when cancellationToken.IsCancellationRequested => null,
            GatewayUnavailableException => "unavailable",
            SingapayAuthenticationException auth => $"token:{auth.Code}",
            _ => Describe(exception, cancellationToken),
        };
    }
}
