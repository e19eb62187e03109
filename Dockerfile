# The image of the GitHub Action (action.yml: runs.using docker, image Dockerfile): the runner builds
# it from this file when a job uses the action. It is also a plain CLI image:
#   docker run --rm -v "$PWD:/w" -w /w schema-guard-action:local check --dsn '…'
#
# The base images are build arguments so that machines without a registry can build it from local
# bases (scripts/action-images.sh builds and tags them under these default names).
ARG GO_IMAGE=golang:1.26-bookworm
ARG RUNTIME_IMAGE=debian:bookworm-slim

FROM ${GO_IMAGE} AS build
WORKDIR /src
# Modules first, in a layer of their own: a source change does not download them again.
COPY go.mod go.sum ./
RUN go mod download
COPY . .
# Stamped by release builds (--build-arg VERSION=v1.2.3); the runner passes no build arguments, so
# an action built from a tag prints "dev" plus the Go toolchain.
ARG VERSION=dev
# Static, so the runtime stage needs no C library of a particular version. The build cache is
# dropped: this layer is never reused after a source change, and each one would keep a whole cache.
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" \
      -o /out/schema-guard ./cmd/schema-guard \
    && go clean -cache

FROM ${RUNTIME_IMAGE}
# git reads the migration history at the base commit; CA certificates are for the GitHub API. Local
# runtime bases already have both, and then no package index is fetched. The runner mounts the
# workspace owned by its own user while a Docker action runs as root: without safe.directory git
# refuses the checkout ("detected dubious ownership").
RUN if ! command -v git >/dev/null || [ ! -s /etc/ssl/certs/ca-certificates.crt ]; then \
      apt-get update \
      && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends git ca-certificates \
      && rm -rf /var/lib/apt/lists/*; \
    fi \
    && git config --system --add safe.directory '*'
COPY --from=build /out/schema-guard /usr/local/bin/schema-guard
ENTRYPOINT ["/usr/local/bin/schema-guard"]
