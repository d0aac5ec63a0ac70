# syntax=docker/dockerfile:1
# Sambad: build with cgo (the SQLite driver), run on Debian slim with
# Debian's Chromium, tini as PID 1 and a non-root user.

FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=1 go build -trimpath -ldflags="-s -w" -o /out/sambad .

FROM debian:bookworm-slim AS runtime
# Chromium, fonts for every script WhatsApp shows and the PDF reports print
# (Noto: Devanagari, Arabic and the other scripts; emoji; CJK), tini to reap
# Chromium's child processes, CA certificates for web.whatsapp.com and Supabase.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      chromium fonts-noto-core fonts-noto-color-emoji fonts-noto-cjk fonts-liberation \
      tini ca-certificates tzdata \
 && rm -rf /var/lib/apt/lists/*
# Docker's default seccomp profile blocks the namespaces Chromium's sandbox
# needs; the container is the isolation boundary, so the browser runs without
# its own sandbox (Debian's /usr/bin/chromium wrapper reads /etc/chromium.d).
RUN printf '%s\n' 'export CHROMIUM_FLAGS="$CHROMIUM_FLAGS --no-sandbox"' > /etc/chromium.d/sambad-container
RUN groupadd --system --gid 10001 sambad \
 && useradd --system --uid 10001 --gid sambad --home-dir /data --shell /usr/sbin/nologin sambad \
 && mkdir -p /data \
 && chown sambad:sambad /data \
 && chmod 0700 /data
COPY --from=build /out/sambad /usr/local/bin/sambad
# Listening beyond loopback requires a password: set SAMBAD_PASSWORD_FILE
# (a Docker secret) or SAMBAD_PASSWORD, or Sambad refuses to start.
ENV SAMBAD_DATA_DIR=/data \
    SAMBAD_ADDR=0.0.0.0:8080 \
    SAMBAD_CHROME_PATH=/usr/bin/chromium \
    TZ=UTC
VOLUME ["/data"]
EXPOSE 8080
USER sambad:sambad
WORKDIR /data
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 CMD ["sambad", "healthcheck"]
ENTRYPOINT ["/usr/bin/tini", "--", "sambad"]
CMD ["serve"]
