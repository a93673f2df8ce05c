#!/usr/bin/env bash
# Make the local base image (Debian bookworm with python3 and venv) when it is missing.
# Usage: deploy/image/base.sh [IMAGE] [WORK_DIR]
# Production builds from the official python:3.11-slim-bookworm instead; no image registry is
# reachable on these machines, so the base is made with debootstrap from the Debian mirror.
set -euo pipefail

image=${1:-saathi-base:bookworm}
work_dir=${2:-var/image}
suite=bookworm

# shellcheck source=deploy/image/lib.sh
source "$(dirname "$0")/lib.sh"

if docker image inspect "$image" >/dev/null 2>&1; then
  exit 0
fi

# The Debian mirror apt already uses (deb822 .sources or a one-line sources.list), unless given.
debian_mirror() {
  if [ -n "${SAATHI_DEBIAN_MIRROR:-}" ]; then echo "$SAATHI_DEBIAN_MIRROR"; return; fi
  local found
  found=$(awk -v suite="$suite" '
    /^URIs:/ { uris = $2 }
    /^Suites:/ { for (i = 2; i <= NF; i++) if ($i == suite) { print uris; exit } }
  ' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
  if [ -z "$found" ] && [ -f /etc/apt/sources.list ]; then
    found=$(awk -v suite="$suite" '$1 == "deb" && $3 == suite { print $2; exit }' /etc/apt/sources.list)
  fi
  echo "${found:-http://deb.debian.org/debian}"
}

[ "$(id -u)" = 0 ] || fail "making $image needs root (debootstrap); run as root, or build \
from the official image instead: docker build --build-arg BASE_IMAGE=python:3.11-slim-bookworm ..."
ensure_tool debootstrap debootstrap
certificates=/etc/ssl/certs/ca-certificates.crt
[ -f "$certificates" ] || fail "$certificates is missing: apt-get install ca-certificates"

mirror=$(debian_mirror)
rootfs="$work_dir/rootfs"
rm -rf "$rootfs"
mkdir -p "$rootfs"
echo "making $image with debootstrap from $mirror (about a minute; log: $work_dir/debootstrap.log)"
if ! debootstrap --variant=minbase --include=python3,python3-venv,ca-certificates \
    "$suite" "$rootfs" "$mirror" >"$work_dir/debootstrap.log" 2>&1; then
  tail -5 "$work_dir/debootstrap.log" >&2
  fail "debootstrap failed (see $work_dir/debootstrap.log); set SAATHI_DEBIAN_MIRROR to a \
Debian mirror this machine reaches and run again"
fi
# This machine's CA bundle, so the build reaches the package indexes through the same proxies.
cp "$certificates" "$rootfs/etc/ssl/certs/ca-certificates.crt"
# Package lists, caches and documentation are not needed in a base image: apt is not used
# after this (about 20 MB less).
rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin \
  "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/usr/share/{doc,man,info,locale}/*
tar -C "$rootfs" -c . | docker import \
  --change 'ENV LANG=C.UTF-8' --change 'CMD ["python3"]' - "$image" >/dev/null
rm -rf "$rootfs"
echo "made $image ($(docker image inspect --format '{{.Size}}' "$image" | awk '{printf "%.0f MB", $1/1e6}'))"
