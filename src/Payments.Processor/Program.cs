using Payments.Processor.Persistence;

var app = PaymentsApp.Build(args.Where(a => a != "migrate").ToArray());

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

await app.RunAsync();
return 0;
