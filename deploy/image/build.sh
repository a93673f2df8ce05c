#!/usr/bin/env bash
# `make image`: a Docker engine (started when none answers), the local Debian base (made when
# missing), then the platform image from deploy/image/Dockerfile; prints its size.
# Settings: SAATHI_IMAGE (default saathi:<version in pyproject.toml>), SAATHI_BASE_IMAGE
# (default saathi-base:bookworm; python:3.11-slim-bookworm where a registry is reachable).
set -euo pipefail
cd "$(dirname "$0")/../.."

# shellcheck source=deploy/image/lib.sh
source deploy/image/lib.sh

version=$(sed -n 's/^version = "\(.*\)"$/\1/p' pyproject.toml | head -1)
image=${SAATHI_IMAGE:-saathi:$version}
base=${SAATHI_BASE_IMAGE:-saathi-base:bookworm}

# The Dockerfile's cache mounts need BuildKit: the buildx plugin, or a client older than 23
# (Debian's docker.io), which drives the engine's own BuildKit when DOCKER_BUILDKIT=1.
buildkit_client() {
  local client major
  for client in docker /usr/bin/docker; do
    command -v "$client" >/dev/null || continue
    if "$client" buildx version >/dev/null 2>&1; then echo "$client"; return; fi
    major=$("$client" version --format '{{.Client.Version}}' 2>/dev/null | cut -d. -f1)
    if [[ "$major" =~ ^[0-9]+$ ]] && [ "$major" -lt 23 ]; then echo "$client"; return; fi
  done
  return 1
}

deploy/image/engine.sh var/docker
if [[ "$base" == saathi-base:* ]]; then
  deploy/image/base.sh "$base" var/image
fi
client=$(buildkit_client) || fail "docker build needs BuildKit here: install the buildx plugin \
(apt-get install docker-buildx where Debian has it, or docker-buildx-plugin from Docker's packages)"

revision=$(git rev-parse HEAD 2>/dev/null || echo unknown)
source_url=$(git remote get-url origin 2>/dev/null || true)
echo "building $image from $base (revision $revision)"
start=$SECONDS
DOCKER_BUILDKIT=1 "$client" build --network host \
  --build-arg "BASE_IMAGE=$base" \
  --build-arg "VERSION=$version" \
  --build-arg "REVISION=$revision" \
  --build-arg "SOURCE=$source_url" \
  -t "$image" -f deploy/image/Dockerfile .
size=$(docker image inspect --format '{{.Size}}' "$image")
echo "built $image in $((SECONDS - start))s: $((size / 1000000)) MB"
