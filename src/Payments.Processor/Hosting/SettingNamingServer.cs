using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Payments.Processor.Configuration;

namespace Payments.Processor.Hosting;

/// <summary>
/// The web server, unchanged, except that an address it can't listen on (taken, or not allowed) stops start-up with
/// an <see cref="InvalidSettingException"/> naming the setting and the address, instead of a socket stack trace.
/// </summary>
public sealed class SettingNamingServer(IServer server, string setting) : IServer
{
    public IFeatureCollection Features => server.Features;

    public async Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken)
        where TContext : notnull
    {
        try
        {
            await server.StartAsync(application, cancellationToken);
        }
        catch (IOException exception)
        {
            var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            throw InvalidSettingException.AddressUnavailable(setting, string.Join(", ", addresses), exception);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => server.StopAsync(cancellationToken);

    public void Dispose() => server.Dispose();
}

public static class SettingNamingServerExtensions
{
    /// <summary>Wraps the registered web server (Kestrel) in a <see cref="SettingNamingServer"/> for <c>Urls</c>.</summary>
    public static IServiceCollection NameTheSettingWhenAnAddressIsTaken(this IServiceCollection services, string setting = "Urls")
    {
        var registration = services.LastOrDefault(d => d.ServiceType == typeof(IServer) && !d.IsKeyedService);
        if (registration is null)
            return services;
        services.Remove(registration);
        services.AddSingleton<IServer>(provider => new SettingNamingServer(Create(provider, registration), setting));
        return services;
    }

    private static IServer Create(IServiceProvider provider, ServiceDescriptor registration) =>
        (IServer)(registration.ImplementationInstance
                  ?? registration.ImplementationFactory?.Invoke(provider)
                  ?? ActivatorUtilities.CreateInstance(provider, registration.ImplementationType!));
}
