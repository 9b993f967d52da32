# Build from the repository root: docker build -f infra/docker/Processor.Dockerfile .
# The SDK of global.json, and the runtime the tests run on.
FROM mcr.microsoft.com/dotnet/sdk:10.0.401 AS build
WORKDIR /src

# Restore from the project files alone: this layer is rebuilt only when a project or a package version changes.
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY src/Payments.Contracts/Payments.Contracts.csproj src/Payments.Contracts/
COPY src/Payments.Gateways/Payments.Gateways.csproj src/Payments.Gateways/
COPY src/Payments.Gateways.Singapay/Payments.Gateways.Singapay.csproj src/Payments.Gateways.Singapay/
COPY src/Payments.Gateways.Finpay/Payments.Gateways.Finpay.csproj src/Payments.Gateways.Finpay/
COPY src/Payments.Persistence/Payments.Persistence.csproj src/Payments.Persistence/
COPY src/Payments.Persistence.SqlServer/Payments.Persistence.SqlServer.csproj src/Payments.Persistence.SqlServer/
COPY src/Payments.Processor/Payments.Processor.csproj src/Payments.Processor/
# What is published carries no sandbox (docs/architecture.md): restore exactly what publish builds.
RUN dotnet restore src/Payments.Processor/Payments.Processor.csproj -p:IncludeEmbeddedSandbox=false

COPY src/ src/
RUN dotnet publish src/Payments.Processor/Payments.Processor.csproj -c Release -o /app --no-restore -p:IncludeEmbeddedSandbox=false \
    && ! ls /app/Payments.Sandbox* 2>/dev/null

FROM mcr.microsoft.com/dotnet/aspnet:10.0.12
WORKDIR /app
COPY --from=build /app .
ENV Urls=http://0.0.0.0:8080
EXPOSE 8080
# The non-root user the .NET images define.
USER $APP_UID
ENTRYPOINT ["dotnet", "Payments.Processor.dll"]
