# The image of the CLI, built by GoReleaser (.goreleaser.yaml, dockers_v2) from the binaries it has
# already built: its context holds linux/amd64/schema-guard and linux/arm64/schema-guard, and
# buildx sets TARGETPLATFORM for each image of the multi-arch manifest.
#
#   docker run --rm -v "$PWD:/w" -w /w ghcr.io/schema-guard/schema-guard:1 check --dsn '…'
#
# The base is a build argument so that machines without a registry can use a local one
# (scripts/image-base.sh builds debian:bookworm-slim from Debian packages).
ARG RUNTIME_IMAGE=debian:bookworm-slim
FROM ${RUNTIME_IMAGE}
# git reads the migration history at the base commit; CA certificates are for the GitHub API. A
# local base that already has both fetches no package index. A mounted workspace is usually owned
# by another user than the container's root: without safe.directory git refuses it ("detected
# dubious ownership").
RUN if ! command -v git >/dev/null || [ ! -s /etc/ssl/certs/ca-certificates.crt ]; then \
      apt-get update \
      && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends git ca-certificates \
      && rm -rf /var/lib/apt/lists/*; \
    fi \
    && git config --system --add safe.directory '*'
ARG TARGETPLATFORM
COPY ${TARGETPLATFORM}/schema-guard /usr/local/bin/schema-guard
ENTRYPOINT ["/usr/local/bin/schema-guard"]
