using System.Globalization;
using System.Net;

namespace Payments.Sandbox.Finpay;

/// <summary>
/// A Finpay answer code. Finpay's list is not public; these follow Bank Indonesia's SNAP convention that Finpay's
/// seven-digit codes use: HTTP status (3) + service (2, "00" here) + case (2). The HTTP status is the first three digits.
/// </summary>
public sealed record FinpayCode(string Code, string Message)
{
    public static readonly FinpayCode Success = new("2000000", "Success");
    public static readonly FinpayCode Unauthorized = new("4010000", "Unauthorized. Invalid merchant credentials");
    public static readonly FinpayCode DoNotHonor = new("4030005", "Do Not Honor");
    public static readonly FinpayCode InsufficientFunds = new("4030014", "Insufficient Funds");
    public static readonly FinpayCode ExpiredCard = new("4030054", "Expired Card");
    public static readonly FinpayCode TransactionNotFound = new("4040001", "Transaction Not Found");
    public static readonly FinpayCode InvalidCardToken = new("4040011", "Invalid Card Token");
    public static readonly FinpayCode DuplicateOrderId = new("4090001", "Duplicate order.id");
    public static readonly FinpayCode GeneralError = new("5000000", "General Error");
    public static readonly FinpayCode ServiceUnavailable = new("5030000", "Service Unavailable");
    public static readonly FinpayCode Timeout = new("5040000", "Timeout");

    /// <summary>What a failing proxy or Finpay itself answers for an X-Sandbox-Fault status.</summary>
    public static FinpayCode ForFaultStatus(int status) => status switch
    {
        500 => GeneralError,
        503 => ServiceUnavailable,
        504 => Timeout,
        _ => new FinpayCode($"{status}0000", "Simulated failure (X-Sandbox-Fault)"),
    };

    public static FinpayCode InvalidFieldFormat(string field, string why) => new("4000001", $"Invalid Field Format {field}: {why}");

    public static FinpayCode InvalidMandatoryField(string field) => new("4000002", $"Invalid Mandatory Field {field}");

    public HttpStatusCode HttpStatus => (HttpStatusCode)int.Parse(Code[..3], CultureInfo.InvariantCulture);
}
