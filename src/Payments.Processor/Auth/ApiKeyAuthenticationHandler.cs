using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Payments.Processor.Auth;

/// <summary>
/// <c>Authorization: Bearer &lt;key&gt;</c> against <see cref="ApiKeys"/>. A missing or unknown key is challenged with
/// 401 and <c>WWW-Authenticate: Bearer</c>; a known key on an endpoint it does not open gets 403. Both as problem details.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory loggers, UrlEncoder encoder,
    ApiKeys keys, IProblemDetailsService problems)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggers, encoder)
{
    public const string SchemeName = "ApiKey";
    private const string BearerPrefix = "Bearer ";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (header.Length == 0)
            return Task.FromResult(AuthenticateResult.NoResult());
        if (!header.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
            return Task.FromResult(AuthenticateResult.Fail("not a bearer key"));

        var roles = keys.RolesOf(header[BearerPrefix.Length..].Trim());
        if (roles.Count == 0)
            return Task.FromResult(AuthenticateResult.Fail("unknown key"));

        var identity = new ClaimsIdentity(roles.Select(role => new Claim(ClaimTypes.Role, role)), SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var presented = Request.Headers.Authorization.Count > 0;
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers[HeaderNames.WWWAuthenticate] = presented ? "Bearer error=\"invalid_token\"" : "Bearer";
        await WriteProblem(StatusCodes.Status401Unauthorized,
            presented ? "Invalid API key" : "Missing API key",
            presented
                ? "The Authorization header does not carry a key this processor knows. Send Authorization: Bearer <key>."
                : $"Send Authorization: Bearer <key>, with a key from {ExpectedSetting()}.");
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        await WriteProblem(StatusCodes.Status403Forbidden, "Key not valid here",
            $"This key is known but does not open {Request.Path}: use a key from {ExpectedSetting()}.");
    }

    private string ExpectedSetting() =>
        Request.Path.StartsWithSegments("/ops", StringComparison.OrdinalIgnoreCase) ? ApiKeys.OpsKeysSetting : ApiKeys.MerchantKeysSetting;

    private async Task WriteProblem(int status, string title, string detail) =>
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
        });
}
