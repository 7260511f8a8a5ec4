# One image for every Galaxy process; the compose file picks the entry point (silo or gateway).
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish Silo/Galaxy.Silo.csproj -c Release -o /app/silo \
 && dotnet publish Client/Gateway/Galaxy.Gateway.csproj -c Release -o /app/gateway \
 && dotnet publish Client/Cli/Galaxy.Cli.csproj -c Release -o /app/cli

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app /app
ENV DOTNET_gcServer=1
