using MassTransit;
using Payments.Contracts;
using Payments.SampleShop;

// A merchant's shop: asks the processor for three charges over RabbitMQ and reports what comes back.
//   dotnet run --project samples/Payments.SampleShop            (RabbitMq__Host, RabbitMq__Port, … as for the processor)
var builder = Host.CreateApplicationBuilder(args);
var rabbit = builder.Configuration.GetSection("RabbitMq");
builder.Services.AddSingleton<ShopOrders>();
builder.Services.AddMassTransit(x =>
{
    x.DisableUsageTelemetry();
    x.AddConsumer<PaymentEventsConsumer>();
    x.UsingRabbitMq((context, cfg) =>
    {
        cfg.Host(rabbit["Host"] ?? "127.0.0.1", ushort.Parse(rabbit["Port"] ?? "5672", System.Globalization.CultureInfo.InvariantCulture),
            rabbit["VirtualHost"] ?? "/", h =>
            {
                h.Username(rabbit["Username"] ?? "guest");
                h.Password(rabbit["Password"] ?? "guest");
            });
        cfg.ReceiveEndpoint("sample-shop", e => e.ConfigureConsumer<PaymentEventsConsumer>(context));
    });
});
builder.Services.AddOptions<MassTransitHostOptions>().Configure(o => o.WaitUntilStarted = true);
builder.Services.AddHostedService<Checkout>();
await builder.Build().RunAsync();
