using Payments.Processor;
using Payments.Processor.Configuration;
using Payments.Processor.Hosting;
using Payments.Processor.Persistence;

WebApplication app;
try
{
    app = PaymentsApp.Build(args.Where(a => a != "migrate").ToArray());
}
catch (InvalidSettingException exception)
{
    // A setting to fix, not a crash: its key and what is wrong with it, without a stack trace.
    Console.Error.WriteLine(exception.Message);
    return 2;
}

if (args.Contains("migrate"))
{
    // `Payments.Processor migrate`: bring the database schema up to date, then exit.
    if (app.Services.GetService<DatabaseSchema>() is not { } schema)
    {
        Console.Error.WriteLine("Nothing to migrate: Database:Provider is not set (the embedded default keeps payments in memory).");
        return 1;
    }
    await schema.ApplyAsync(CancellationToken.None);
    return 0;
}

try
{
    await app.RunAsync();
}
catch (InvalidSettingException exception)
{
    Console.Error.WriteLine(exception.Message);
    return 2;
}
return 0;
