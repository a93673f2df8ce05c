#!/usr/bin/env bash
# Make sure a Docker engine answers: start dockerd without a bridge network when none does.
# Usage: deploy/image/engine.sh [LOG_DIR]   (the engine's log goes to LOG_DIR/dockerd.log)
set -euo pipefail

log_dir=${1:-var/docker}
deadline_s=${SAATHI_DOCKERD_DEADLINE_S:-60}

# shellcheck source=deploy/image/lib.sh
source "$(dirname "$0")/lib.sh"

engine_answers() { docker info >/dev/null 2>&1; }

ensure_tool docker docker.io
engine_answers && exit 0

[ "$(id -u)" = 0 ] || fail "no Docker engine answers and only root can start one here: \
start dockerd (or Docker Desktop), or give your user access to /var/run/docker.sock"
ensure_tool dockerd docker.io

mkdir -p "$log_dir"
log_file="$log_dir/dockerd.log"
# No bridge network on these machines: containers run with --network host (see docs/deploy/image.md).
echo "starting dockerd in the background (log: $log_file)"
setsid nohup dockerd --bridge=none --iptables=false --ip-masq=false >>"$log_file" 2>&1 &
end=$((SECONDS + deadline_s))
until engine_answers; do
  # Another process may have started an engine at the same moment: only its answer matters.
  [ $SECONDS -lt $end ] || fail "dockerd did not answer within ${deadline_s}s; see $log_file"
  sleep 0.5
done
echo "dockerd is up"
