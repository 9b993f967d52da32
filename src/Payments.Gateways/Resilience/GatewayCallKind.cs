namespace Payments.Gateways.Resilience;

/// <summary>What a request to a gateway does; decides its attempt timeout and whether it may be retried.</summary>
public enum GatewayCallKind
{
    /// <summary>Moves money. Never retried: a repeat could charge twice.</summary>
    Charge,
    /// <summary>A status check. Safe to repeat.</summary>
    Inquiry,
    /// <summary>Fetching an access token. Safe to repeat.</summary>
    Token,
    /// <summary>A void or refund. Gateways treat a repeat as the same cancel, so it is retried.</summary>
    Cancel,
}

public static class GatewayCallKindExtensions
{
    private static readonly HttpRequestOptionsKey<GatewayCallKind> Key = new("Payments.Gateways.CallKind");

    public static HttpRequestMessage SetGatewayCallKind(this HttpRequestMessage request, GatewayCallKind kind)
    {
        request.Options.Set(Key, kind);
        return request;
    }

    /// <summary>An unmarked request counts as a <see cref="GatewayCallKind.Charge"/>: forgetting to mark it must never cause a retry.</summary>
    public static GatewayCallKind GetGatewayCallKind(this HttpRequestMessage request) =>
        request.Options.TryGetValue(Key, out var kind) ? kind : GatewayCallKind.Charge;
}
