#!/usr/bin/env bash
# Shared settings of the tsflink scripts (sourced, as Flink's bin/config.sh).
# Honours FLINK_CONF_DIR, FLINK_LOG_DIR and FLINK_PID_DIR; FLINK_HOME is the checkout.

FLINK_HOME="${FLINK_HOME:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
FLINK_CONF_DIR="${FLINK_CONF_DIR:-$FLINK_HOME/conf}"
FLINK_LOG_DIR="${FLINK_LOG_DIR:-$FLINK_HOME/log}"
FLINK_PID_DIR="${FLINK_PID_DIR:-/tmp}"
FLINK_IDENT_STRING="${FLINK_IDENT_STRING:-${USER:-$(id -un)}}"
NODE="${NODE:-node}"
export FLINK_HOME FLINK_CONF_DIR FLINK_LOG_DIR FLINK_PID_DIR

# Reads one key from flink-conf.yaml (flat form), for the scripts' own needs.
read_conf_value() {
  local key="$1" default="$2" file="$FLINK_CONF_DIR/flink-conf.yaml" value=""
  if [ -f "$file" ]; then
    value=$(grep -E "^[[:space:]]*${key//./\\.}[[:space:]]*:" "$file" | tail -n 1 | sed -E 's/^[^:]*:[[:space:]]*//; s/[[:space:]]+#.*$//; s/^["'"'"']//; s/["'"'"']$//')
  fi
  echo "${value:-$default}"
}

daemon_entry() {
  case "$1" in
    standalonesession) echo "$FLINK_HOME/packages/jobmanager/dist/main.js" ;;
    taskexecutor) echo "$FLINK_HOME/packages/taskmanager/dist/main.js" ;;
    *) echo "Unknown daemon '$1'." >&2; return 1 ;;
  esac
}

ensure_built() {
  local entry="$1"
  if [ ! -f "$entry" ]; then
    echo "$entry does not exist: build tsflink first with 'pnpm install && pnpm build'." >&2
    exit 1
  fi
}
