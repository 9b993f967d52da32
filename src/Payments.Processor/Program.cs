var app = PaymentsApp.Build(args);
await app.RunAsync();
