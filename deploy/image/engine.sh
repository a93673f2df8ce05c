#!/usr/bin/env bash
# Make sure a Docker engine answers: start dockerd without a bridge network when none does.
# Usage: deploy/image/engine.sh [LOG_DIR]   (the engine's log goes to LOG_DIR/dockerd.log)
set -euo pipefail

log_dir=${1:-var/docker}
deadline_s=${SAATHI_DOCKERD_DEADLINE_S:-60}

fail() { echo "error: $*" >&2; exit 1; }

engine_answers() { docker info >/dev/null 2>&1; }

install_packages() {
  # docker.io and debootstrap from Debian; only root can install them.
  local missing=()
  command -v docker >/dev/null || missing+=(docker.io)
  command -v debootstrap >/dev/null || missing+=(debootstrap)
  [ ${#missing[@]} -eq 0 ] && return
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
    fail "missing ${missing[*]}: install them (as root: apt-get install ${missing[*]}) and run again"
  fi
  echo "installing ${missing[*]} with apt-get"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

install_packages
engine_answers && exit 0

[ "$(id -u)" = 0 ] || fail "no Docker engine answers and only root can start one here: \
start dockerd (or Docker Desktop), or give your user access to /var/run/docker.sock"
command -v dockerd >/dev/null || fail "dockerd is missing: apt-get install docker.io"

mkdir -p "$log_dir"
log_file="$log_dir/dockerd.log"
# No bridge network on these machines: containers run with --network host (see docs/deploy/image.md).
echo "starting dockerd in the background (log: $log_file)"
nohup dockerd --bridge=none --iptables=false --ip-masq=false >>"$log_file" 2>&1 &
end=$((SECONDS + deadline_s))
until engine_answers; do
  # Another process may have started an engine at the same moment: only its answer matters.
  [ $SECONDS -lt $end ] || fail "dockerd did not answer within ${deadline_s}s; see $log_file"
  sleep 0.5
done
echo "dockerd is up"
