using System.Text;
using System.Text.Json.Nodes;

namespace Payments.Sandbox.Singapay;

/// <summary>Singapay's response envelope: {"response_code","response_message","data"}.</summary>
internal static class SingapayResponses
{
    public static IResult Envelope(int httpStatus, string code, string message, JsonNode? data = null) =>
        Json(httpStatus, new JsonObject
        {
            ["response_code"] = code,
            ["response_message"] = message,
            ["data"] = data,
        });

    public static IResult Json(int httpStatus, JsonNode body) =>
        Results.Content(body.ToJsonString(), "application/json", Encoding.UTF8, httpStatus);

    public static IResult Html(int httpStatus, string html) =>
        Results.Content(html, "text/html", Encoding.UTF8, httpStatus);
}
