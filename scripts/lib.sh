# Shared by scripts/build and scripts/cluster: where things are cached and the pinned versions.
# shellcheck shell=bash

MLOPS_SCRIPTS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck disable=SC2034 # used by the scripts that source this file
# Outside the clone, so every clone and every CI run on the machine shares one build of each pin.
MLOPS_CACHE="${MLOPS_PLATFORM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mlops-platform}"
# shellcheck disable=SC2034
ALL_TARGETS=(kube kwok pulumi provider promtool amtool dotnet sdkgen)

# shellcheck source=scripts/pins.env
. "$MLOPS_SCRIPTS_DIR/pins.env"

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

require_go() {
  command -v go >/dev/null 2>&1 || die "Go is required to build the simulated cluster, the Pulumi engine and promtool (https://go.dev/dl/, 1.26 or newer)"
}
