# Build from the repository root: docker build -f infra/docker/Sandbox.Dockerfile .
# The SDK of global.json, and the runtime the tests run on.
FROM mcr.microsoft.com/dotnet/sdk:10.0.401 AS build
WORKDIR /src

# Restore from the project files alone: this layer is rebuilt only when a project or a package version changes.
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY src/Payments.Contracts/Payments.Contracts.csproj src/Payments.Contracts/
COPY src/Payments.Sandbox/Payments.Sandbox.csproj src/Payments.Sandbox/
RUN dotnet restore src/Payments.Sandbox/Payments.Sandbox.csproj

COPY src/ src/
RUN dotnet publish src/Payments.Sandbox/Payments.Sandbox.csproj -c Release -o /app --no-restore

FROM mcr.microsoft.com/dotnet/aspnet:10.0.12
WORKDIR /app
COPY --from=build /app .
ENV Sandbox__Url=http://0.0.0.0:5090
EXPOSE 5090
# The non-root user the .NET images define.
USER $APP_UID
ENTRYPOINT ["dotnet", "Payments.Sandbox.dll"]
