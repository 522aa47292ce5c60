#!/usr/bin/env bash
# Build the otelcol-heroku container image (deploy/container/Containerfile)
# from the ocb output in dist/, without pulling any base image: the build
# context is staged here with static binaries, the host's CA bundle, the
# default config and an empty data directory.
#
#   scripts/image.sh [TAG] [ARCHIVE]
#
# TAG defaults to localhost/otelcol-heroku:dev. ARCHIVE, when given, is a
# docker-archive tarball written from the built image (for tests or
# `podman load`). BUILDAH_FLAGS passes global flags to buildah (e.g. --root,
# --runroot, --storage-driver vfs); BUILDAH_ISOLATION=chroot works without
# user namespaces.
set -euo pipefail

tag=${1:-localhost/otelcol-heroku:dev}
archive=${2:-}
root=$(cd "$(dirname "$0")/.." && pwd)
GO=${GO:-go}

if ! command -v buildah >/dev/null; then
	echo "buildah is not installed (Debian: apt-get install buildah)" >&2
	exit 2
fi
if [ ! -f "$root/dist/go.mod" ]; then
	echo "dist/ has no ocb output; run 'make build' first" >&2
	exit 2
fi
ca=/etc/ssl/certs/ca-certificates.crt
if [ ! -f "$ca" ]; then
	echo "$ca is missing (Debian: apt-get install ca-certificates)" >&2
	exit 2
fi

ctx=$(mktemp -d)
trap 'rm -rf "$ctx"' EXIT

# Static binaries: the image has no libc.
(cd "$root/dist" && CGO_ENABLED=0 "$GO" build -trimpath -ldflags='-s -w' -o "$ctx/otelcol-heroku" .)
(cd "$root" && CGO_ENABLED=0 "$GO" build -trimpath -ldflags='-s -w' -o "$ctx/healthcheck" ./cmd/healthcheck)
cp "$ca" "$ctx/ca-certificates.crt"
cp "$root/deploy/container/config.yaml" "$ctx/config.yaml"
cp "$root/deploy/container/Containerfile" "$ctx/Containerfile"
mkdir "$ctx/data"

# --format docker: the OCI image format has no HEALTHCHECK.
# shellcheck disable=SC2086
buildah ${BUILDAH_FLAGS:-} bud --format docker --layers=false -t "$tag" -f "$ctx/Containerfile" "$ctx"
if [ -n "$archive" ]; then
	# shellcheck disable=SC2086
	buildah ${BUILDAH_FLAGS:-} push "$tag" "docker-archive:$archive:$tag"
fi
