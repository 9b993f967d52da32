# Build from the repository root: docker build -f infra/docker/Sandbox.Dockerfile .
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/Payments.Sandbox -c Release -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app .
ENV Sandbox__Url=http://0.0.0.0:5090
EXPOSE 5090
ENTRYPOINT ["dotnet", "Payments.Sandbox.dll"]
