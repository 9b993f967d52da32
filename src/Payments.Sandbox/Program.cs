using Payments.Sandbox;

var app = SandboxApp.Build(args);
await app.RunAsync();
