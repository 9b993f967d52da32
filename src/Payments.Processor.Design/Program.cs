Console.WriteLine("Design-time host for `dotnet ef`; see the project file.");
