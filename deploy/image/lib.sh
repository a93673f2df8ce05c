# Shared by the image scripts (sourced): failing with advice, and installing a missing tool.

fail() { echo "error: $*" >&2; exit 1; }

# ensure_tool COMMAND PACKAGE: install Debian's PACKAGE when COMMAND is missing (root only).
ensure_tool() {
  command -v "$1" >/dev/null && return
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
    fail "$1 is missing: install it (as root: apt-get install $2) and run again"
  fi
  echo "installing $2 with apt-get"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null
}
