#!/usr/bin/env bash
# The tsflink image's entrypoint, after Flink's official docker-entrypoint.sh.
#
#   docker-entrypoint.sh jobmanager  [-D key=value ...]   the JobManager, in the foreground
#   docker-entrypoint.sh taskmanager [-D key=value ...]   a TaskManager, in the foreground
#   docker-entrypoint.sh client <flink args...>           the flink CLI (run, list, savepoint, cancel, stop, info, -h)
#   docker-entrypoint.sh help                             this text
#   docker-entrypoint.sh <any other command>              runs that command (e.g. bash)
#
# Configuration: the directory $FLINK_CONF_DIR (default $FLINK_HOME/conf, baked
# into the image or mounted over it, possibly read-only) is copied to a writable
# directory ($TSFLINK_RUNTIME_CONF_DIR, or a fresh one under $TMPDIR), and its
# flink-conf.yaml is adjusted there:
#   JOB_MANAGER_RPC_ADDRESS            -> jobmanager.rpc.address
#   TASK_MANAGER_NUMBER_OF_TASK_SLOTS  -> taskmanager.numberOfTaskSlots
#   jobmanager: jobmanager.bind-host: 0.0.0.0 unless configured (published ports, health check)
#   taskmanager: taskmanager.host: $TASK_MANAGER_HOST or the container's own address
#                (`hostname -i`), so other TaskManagers reach its data port
#   FLINK_PROPERTIES                   multi-line `key: value`, appended last (it wins);
#                                      earlier lines with the same flat keys are removed so
#                                      the file stays valid YAML
# Daemons run with --foreground: JSON log lines on stdout (and the log file in
# $FLINK_LOG_DIR), print() output on stdout. `exec` makes node the process that
# tini (PID 1) forwards signals to.
set -euo pipefail

FLINK_HOME="${FLINK_HOME:-/opt/tsflink}"
FLINK_HOME="${FLINK_HOME%/}"
NODE="${NODE:-node}"
SOURCE_CONF_DIR="${FLINK_CONF_DIR:-$FLINK_HOME/conf}"
FLINK_LOG_DIR="${FLINK_LOG_DIR:-$FLINK_HOME/log}"
export FLINK_HOME FLINK_LOG_DIR

usage() {
  cat <<EOF
Usage: docker-entrypoint.sh (jobmanager|taskmanager) [-D key=value ...]
       docker-entrypoint.sh client <flink CLI arguments>
       docker-entrypoint.sh help
       docker-entrypoint.sh <command> [args...]   (runs the command as is)

  jobmanager    runs the JobManager in the foreground (RPC on jobmanager.rpc.port, 6123; REST on rest.port, 8081)
  taskmanager   runs a TaskManager in the foreground (data exchange on taskmanager.data.port)
  client        runs the flink CLI, e.g. 'client list', 'client run -d /jobs/app.ts'

Environment: FLINK_HOME ($FLINK_HOME), FLINK_CONF_DIR ($SOURCE_CONF_DIR), FLINK_LOG_DIR ($FLINK_LOG_DIR),
  JOB_MANAGER_RPC_ADDRESS, TASK_MANAGER_HOST, TASK_MANAGER_NUMBER_OF_TASK_SLOTS,
  FLINK_PROPERTIES (multi-line 'key: value', appended to flink-conf.yaml), TSFLINK_RUNTIME_CONF_DIR.
EOF
}

die() { echo "docker-entrypoint.sh: $*" >&2; exit 1; }

# The configuration file of a directory: flink-conf.yaml, or config.yaml (Flink 1.19+'s name).
conf_file_of() {
  if [ -f "$1/flink-conf.yaml" ] || [ ! -f "$1/config.yaml" ]; then echo "$1/flink-conf.yaml"; else echo "$1/config.yaml"; fi
}

# Removes every unindented `key: ...` line for the given keys (exact, literal match).
remove_keys() {
  local file="$1"; shift
  [ $# -gt 0 ] || return 0
  awk -v keys="$*" '
    BEGIN { n = split(keys, list, " "); for (i = 1; i <= n; i++) drop[list[i]] = 1 }
    /^[^[:space:]#][^:]*:/ {
      k = $0; sub(/:.*/, "", k); sub(/[[:space:]]+$/, "", k)
      if (k in drop) next
    }
    { print }
  ' "$file" > "$file.tmp"
  mv "$file.tmp" "$file"
}

ensure_trailing_newline() {
  if [ -s "$1" ] && [ -n "$(tail -c 1 "$1")" ]; then echo >> "$1"; fi
}

# Sets one key (replacing earlier occurrences), as Flink's set_config_option.
set_config_option() {
  remove_keys "$CONF_FILE" "$1"
  ensure_trailing_newline "$CONF_FILE"
  printf '%s: %s\n' "$1" "$2" >> "$CONF_FILE"
}

has_config_option() {
  grep -Eq "^${1//./\\.}[[:space:]]*:" "$CONF_FILE"
}

# The address other containers reach this one under.
own_address() {
  local address=""
  address=$(hostname -i 2>/dev/null | awk '{ print $1 }') || true
  if [ -z "$address" ]; then address=$(hostname); fi
  echo "$address"
}

prepare_configuration() {
  local role="$1" conf_dir
  [ -d "$SOURCE_CONF_DIR" ] || die "the configuration directory $SOURCE_CONF_DIR does not exist (FLINK_CONF_DIR)."
  if [ -n "${TSFLINK_RUNTIME_CONF_DIR:-}" ]; then
    conf_dir="$TSFLINK_RUNTIME_CONF_DIR"
    mkdir -p "$conf_dir"
  else
    conf_dir=$(mktemp -d "${TMPDIR:-/tmp}/tsflink-conf.XXXXXX")
  fi
  if [ "$(cd "$SOURCE_CONF_DIR" && pwd -P)" != "$(cd "$conf_dir" && pwd -P)" ]; then
    # -L: mounted configurations (Kubernetes ConfigMaps) are symlinks.
    cp -RL "$SOURCE_CONF_DIR/." "$conf_dir/"
    chmod -R u+w "$conf_dir"
  fi
  CONF_FILE=$(conf_file_of "$conf_dir")
  touch "$CONF_FILE"

  if [ -n "${JOB_MANAGER_RPC_ADDRESS:-}" ]; then
    set_config_option jobmanager.rpc.address "$JOB_MANAGER_RPC_ADDRESS"
  fi
  if [ -n "${TASK_MANAGER_NUMBER_OF_TASK_SLOTS:-}" ]; then
    set_config_option taskmanager.numberOfTaskSlots "$TASK_MANAGER_NUMBER_OF_TASK_SLOTS"
  fi
  case "$role" in
    jobmanager)
      # Listen on every interface: published ports and the health check (127.0.0.1) reach it.
      has_config_option jobmanager.bind-host || set_config_option jobmanager.bind-host 0.0.0.0
      ;;
    taskmanager)
      set_config_option taskmanager.host "${TASK_MANAGER_HOST:-$(own_address)}"
      ;;
  esac
  if [ -n "${FLINK_PROPERTIES:-}" ]; then
    local keys properties
    properties=$(printf '%s' "$FLINK_PROPERTIES")   # without trailing newlines
    keys=$(printf '%s\n' "$properties" | awk '/^[^[:space:]#][^:]*:/ { k = $0; sub(/:.*/, "", k); sub(/[[:space:]]+$/, "", k); print k }' | tr '\n' ' ')
    # shellcheck disable=SC2086 # keys never contain spaces
    remove_keys "$CONF_FILE" $keys
    ensure_trailing_newline "$CONF_FILE"
    printf '%s\n' "$properties" >> "$CONF_FILE"
  fi
  export FLINK_CONF_DIR="$conf_dir"
}

entry_of() {
  local entry="$FLINK_HOME/packages/$1/dist/main.js"
  [ -f "$entry" ] || die "$entry does not exist: build tsflink first ('pnpm install && pnpm build'), or set FLINK_HOME."
  echo "$entry"
}

COMMAND="${1:-help}"
[ $# -eq 0 ] || shift

case "$COMMAND" in
  help|-h|--help)
    usage
    ;;
  jobmanager|taskmanager)
    ENTRY=$(entry_of "$COMMAND")
    prepare_configuration "$COMMAND"
    mkdir -p "$FLINK_LOG_DIR"
    echo "Starting the tsflink $COMMAND (configuration $CONF_FILE, logs also in $FLINK_LOG_DIR)." >&2
    exec "$NODE" "$ENTRY" --configDir "$FLINK_CONF_DIR" --foreground "$@"
    ;;
  client)
    ENTRY=$(entry_of cli)
    prepare_configuration client
    exec "$NODE" "$ENTRY" "$@"
    ;;
  *)
    exec "$COMMAND" "$@"
    ;;
esac
