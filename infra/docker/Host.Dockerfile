# Builds and runs StreamBilling.Host (used by docker-compose.kafka.yml; the repository's .dockerignore keeps bin/ and
# obj/ out of the build context).
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/StreamBilling.Host -c Release -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app .
# State and key directories owned by the image's non-root user: compose's named volumes start as copies of them.
USER root
RUN mkdir -p /var/lib/streambilling/state /var/lib/streambilling/keys && chown -R app:app /var/lib/streambilling
USER app
ENTRYPOINT ["dotnet", "StreamBilling.Host.dll"]
