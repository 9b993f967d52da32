using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Payments.Contracts;
using Polly.Timeout;

namespace Payments.Gateways.Finpay;

/// <summary>
/// Finpay behind the gateway port: one-click charges of stored cards and status checks. Response codes are read with
/// <see cref="FinpayResponseCodeOptions"/> (2000000 accepted, 4xxxxxx declined, 5xxxxxx / 409xxxx / timeout / unreadable
/// unknown). Finpay publishes no cancel API, so <see cref="CancelAsync"/> cancels nothing.
/// </summary>
public sealed partial class FinpayGateway(FinpayClient client, IOptions<FinpayOptions> options, ILogger<FinpayGateway> logger)
    : IPaymentGateway
{
    private readonly FinpayResponseCodes _codes = new(options.Value.ResponseCodes);

    public string Name => PaymentGateways.Finpay;

    public async Task<ChargeResult> ChargeAsync(ChargeRequested charge, CancellationToken cancellationToken)
    {
        if (charge.StoredCard is not { } storedCard || string.IsNullOrWhiteSpace(storedCard.Token))
        {
            // Refused before anything is sent: Finpay charges stored cards only.
            return new ChargeResult
            {
                Kind = ChargeResultKind.Declined,
                ResponseCode = FinpayFailureCodes.NoStoredCard,
                ResponseMessage = "Finpay one-click payments need a stored card token.",
                FailureCode = FinpayFailureCodes.For(FinpayFailureCodes.NoStoredCard),
            };
        }

        FinpayReply<FinpayPaymentData> reply;
        try
        {
            reply = await client.PayAsync(FinpayPaymentRequest.From(charge, storedCard), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (TransportFailure(exception, cancellationToken) is { } failure)
        {
            LogChargeOutcomeUnknown(logger, charge.MerchantReference, failure);
            return ChargeResult.Unknown(failure, "The charge may have reached Finpay; check its status before deciding.");
        }

        var result = MapCharge(reply);
        LogCharge(logger, charge.MerchantReference, result.Kind, result.ResponseCode, result.ResponseMessage);
        return result;
    }

    public async Task<InquiryResult> InquireAsync(GatewayPaymentReference reference, CancellationToken cancellationToken)
    {
        FinpayReply<FinpayStatusData> reply;
        try
        {
            // Finpay checks by order id (our merchant reference), whether or not its own payment id is known.
            reply = await client.CheckAsync(reference.MerchantReference, cancellationToken).ConfigureAwait(false);
        }
        catch (GatewayUnavailableException exception)
        {
            LogStatusCheckUnavailable(logger, reference.MerchantReference);
            return InquiryResult.Unknown("unavailable", exception.Message);
        }
        catch (Exception exception) when (TransportFailure(exception, cancellationToken) is { } failure)
        {
            LogStatusCheckFailed(logger, reference.MerchantReference, failure);
            return InquiryResult.Unknown(failure, "Finpay could not be asked; ask again later.");
        }

        return MapStatus(reply);
    }

    public Task<CancelResult> CancelAsync(GatewayPaymentReference reference, CancellationToken cancellationToken)
    {
        LogCannotCancel(logger, reference.MerchantReference);
        return Task.FromResult(new CancelResult
        {
            Cancelled = false,
            ResponseCode = "unsupported",
            ResponseMessage = NoCancelApi,
        });
    }

    public string? CannotCancel(GatewayPaymentReference reference) => NoCancelApi;

    private const string NoCancelApi = "Finpay has no public cancel API: void or refund the payment in Finpay's dashboard";

    internal ChargeResult MapCharge(FinpayReply<FinpayPaymentData> reply)
    {
        if (!reply.Readable)
            return ChargeResult.Unknown($"http_{(int)reply.HttpStatus}", "Finpay's answer could not be read; check its status before deciding.");

        var code = reply.ResponseCode!;
        return _codes.Classify(code) switch
        {
            FinpayCodeMeaning.Success => new ChargeResult
            {
                Kind = ChargeResultKind.Accepted,
                GatewayTransactionId = reply.Data?.Id,
                ProviderTransactionId = reply.Data?.AcquirerTransactionId,
                AuthorizationCode = reply.Data?.AuthorizationCode,
                ResponseCode = code,
                ResponseMessage = reply.ResponseMessage,
            },
            FinpayCodeMeaning.Declined => new ChargeResult
            {
                Kind = ChargeResultKind.Declined,
                ResponseCode = code,
                ResponseMessage = reply.ResponseMessage,
                FailureCode = FinpayFailureCodes.For(code),
            },
            _ => ChargeResult.Unknown(code, reply.ResponseMessage ?? "Finpay's answer leaves the outcome open."),
        };
    }

    internal InquiryResult MapStatus(FinpayReply<FinpayStatusData> reply)
    {
        // An unreadable 404 (a wrong BaseUrl, a proxy's page) is not Finpay saying "no such order": NotFound would
        // let the processor fail a payment that may exist.
        if (!reply.Readable)
            return InquiryResult.Unknown($"http_{(int)reply.HttpStatus}", "Finpay's answer could not be read.");
        if (_codes.MeansNotFound(reply.HttpStatus, reply.ResponseCode))
            return new InquiryResult
            {
                Status = GatewayPaymentStatus.NotFound,
                ResponseCode = reply.ResponseCode,
                ResponseMessage = reply.ResponseMessage,
            };
        if (!_codes.IsSuccess(reply.ResponseCode) || reply.Data is null)
            return InquiryResult.Unknown(reply.ResponseCode!, reply.ResponseMessage ?? "Finpay did not report a status.");

        var status = FinpayPaymentStatuses.ToGatewayStatus(reply.Data.Status);
        var failed = status is GatewayPaymentStatus.Failed or GatewayPaymentStatus.Cancelled;
        return new InquiryResult
        {
            Status = status,
            GatewayTransactionId = reply.Data.Id,
            AuthorizationCode = reply.Data.AuthorizationCode,
            // For a failed payment, its own code says why; the status check's code only says the check worked.
            ResponseCode = failed ? reply.Data.ResponseCode ?? reply.ResponseCode : reply.ResponseCode,
            ResponseMessage = failed ? reply.Data.ResponseMessage ?? reply.Data.Status : reply.Data.Status ?? reply.ResponseMessage,
            FailureCode = failed ? FinpayFailureCodes.ForPayment(status, reply.Data.ResponseCode) : null,
        };
    }

    /// <summary>A short, secret-free description of a failure after which the request may have reached Finpay; null for others.</summary>
    private static string? TransportFailure(Exception exception, CancellationToken cancellationToken) => exception switch
    {
        GatewayUnavailableException => null, // certainly not sent: the caller must see it
        OperationCanceledException when cancellationToken.IsCancellationRequested => null, // our own shutdown
        TimeoutRejectedException => "timeout",
        HttpRequestException { InnerException: SocketException socket } => $"connection_{socket.SocketErrorCode}",
        HttpRequestException http => http.HttpRequestError == HttpRequestError.Unknown ? "connection_error" : $"connection_{http.HttpRequestError}",
        OperationCanceledException => "timeout",
        _ => null,
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Finpay charge {Reference}: {Failure}; outcome unknown, to be settled by a status check")]
    private static partial void LogChargeOutcomeUnknown(ILogger logger, string reference, string failure);

    [LoggerMessage(Level = LogLevel.Information, Message = "Finpay charge {Reference}: {Kind} {Code} {Message}")]
    private static partial void LogCharge(ILogger logger, string reference, ChargeResultKind kind, string? code, string? message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Finpay status check {Reference}: unavailable")]
    private static partial void LogStatusCheckUnavailable(ILogger logger, string reference);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Finpay status check {Reference}: {Failure}")]
    private static partial void LogStatusCheckFailed(ILogger logger, string reference, string failure);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Finpay payment {Reference} cannot be cancelled through the API: void or refund it in Finpay's dashboard")]
    private static partial void LogCannotCancel(ILogger logger, string reference);
}
