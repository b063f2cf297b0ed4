# syntax=docker/dockerfile:1
# Marketplace: node builds the browser assets, the SDK publishes, the ASP.NET runtime runs it as a non-root user.
#   docker build -t marketplace .
#   docker run -d --name marketplace -p 127.0.0.1:8080:8080 -v marketplace-data:/data --stop-timeout 35 \
#     -e PUBLIC_BASE_URL=https://shop.example.com -e FORWARDED_PROXIES=172.17.0.1 \
#     -e SMTP_HOST=smtp.example.com -e SMTP_USERNAME=… -e SMTP_PASSWORD=… -e SMTP_FROM="Marketplace <no-reply@example.com>" marketplace
#   (then put a TLS-terminating proxy in front of 127.0.0.1:8080; FORWARDED_PROXIES is the address it connects from)
#   First admin, after registering and verifying the address: docker exec marketplace dotnet Marketplace.Web.dll admin grant you@example.com
# All configuration is environment variables (see the README's Configuration table).

FROM node:22-bookworm-slim AS assets
WORKDIR /src/wwwroot-src
COPY wwwroot-src/package.json wwwroot-src/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY wwwroot-src/ ./
# build.mjs writes into ../Marketplace.Web/wwwroot.
RUN npm run build

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS publish
WORKDIR /src
COPY Directory.Build.props Directory.Packages.props .editorconfig ./
COPY Marketplace.Core/Marketplace.Core.csproj Marketplace.Core/
COPY Marketplace.Web/Marketplace.Web.csproj Marketplace.Web/
RUN dotnet restore Marketplace.Web/Marketplace.Web.csproj
COPY Marketplace.Core/ Marketplace.Core/
COPY Marketplace.Web/ Marketplace.Web/
COPY --from=assets /src/Marketplace.Web/wwwroot/ Marketplace.Web/wwwroot/
# wwwroot is already built by the assets stage, so the project's npm targets are skipped.
RUN dotnet publish Marketplace.Web/Marketplace.Web.csproj -c Release -o /app --no-restore -p:SkipWwwrootBuild=true

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=publish /app ./
# The database (with the data-protection and receipt keys) and the delivery files live on the /data volume;
# keep it across upgrades and back it up (README → Operations).
# Production cookies are Secure, so the site answers only over HTTPS: run it behind a proxy that terminates TLS and
# sends X-Forwarded-Proto/-For, and name that proxy in FORWARDED_PROXIES (nobody else's X-Forwarded-* is believed).
# PUBLIC_BASE_URL has no default here: the app refuses to start without it.
ENV ASPNETCORE_ENVIRONMENT=Production \
    ASPNETCORE_HTTP_PORTS=8080 \
    ConnectionStrings__Marketplace="Data Source=/data/marketplace.db" \
    Storage__DataDirectory=/data \
    Logging__Format=json \
    Hosting__ShutdownTimeout=00:00:30
# APP_UID (1654, user "app") is defined by the .NET base images; the volume inherits this ownership.
RUN mkdir -p /data && chown "$APP_UID" /data
VOLUME /data
USER $APP_UID
EXPOSE 8080
# The runtime image has no curl or wget: the app probes itself (Hosting/HealthProbe.cs) and exits 0 or 1.
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
    CMD ["dotnet", "/app/Marketplace.Web.dll", "--healthcheck", "/healthz"]
# docker stop sends SIGTERM and waits 10 s by default; run with --stop-timeout 35 so the 30 s graceful shutdown fits.
STOPSIGNAL SIGTERM
ENTRYPOINT ["dotnet", "Marketplace.Web.dll"]
