#!/usr/bin/env bash
# Starts or stops a tsflink daemon, as Flink's bin/flink-daemon.sh.
# Usage: flink-daemon.sh (start|start-foreground|stop|stop-all) (standalonesession|taskexecutor) [args]
#
# Each start appends the new pid to $FLINK_PID_DIR/flink-$USER-<daemon>.pid, so
# running `start` N times starts N instances (they pick free ports themselves,
# except the JobManager's RPC and REST ports). `stop` stops the newest instance,
# `stop-all` all of them. `start` returns once the daemon reports it is ready, or
# fails with the reason from its output.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/config.sh"

usage() { echo "Usage: flink-daemon.sh (start|start-foreground|stop|stop-all) (standalonesession|taskexecutor) [args]" >&2; exit 1; }
[ $# -ge 2 ] || usage
STARTSTOP="$1"; DAEMON="$2"; shift 2
ENTRY=$(daemon_entry "$DAEMON") || usage

mkdir -p "$FLINK_PID_DIR"
PID_FILE="$FLINK_PID_DIR/flink-$FLINK_IDENT_STRING-$DAEMON.pid"
READY_TIMEOUT="${FLINK_READY_TIMEOUT:-30}"

is_running() { kill -0 "$1" 2>/dev/null; }

live_pids() {
  [ -f "$PID_FILE" ] || return 0
  local pid
  while read -r pid; do
    [ -n "$pid" ] && is_running "$pid" && echo "$pid"
  done < "$PID_FILE"
  return 0
}

stop_pid() {
  local pid="$1" waited=0
  if ! is_running "$pid"; then return 0; fi
  echo "Stopping $DAEMON daemon (pid: $pid) on host $(hostname)."
  kill "$pid" 2>/dev/null || true
  while is_running "$pid" && [ $waited -lt 100 ]; do sleep 0.1; waited=$((waited + 1)); done
  if is_running "$pid"; then
    echo "The $DAEMON daemon (pid: $pid) did not stop within 10 s; killing it." >&2
    kill -9 "$pid" 2>/dev/null || true
  fi
}

case "$STARTSTOP" in
  start)
    ensure_built "$ENTRY"
    mkdir -p "$FLINK_LOG_DIR"
    # Forget pids of instances that are gone, then number the new one after the live ones.
    LIVE=$(live_pids | tr '\n' ' ')
    : > "$PID_FILE.tmp"; for p in $LIVE; do echo "$p" >> "$PID_FILE.tmp"; done; mv "$PID_FILE.tmp" "$PID_FILE"
    ID=$(wc -l < "$PID_FILE" | tr -d ' ')
    while [ -e "$FLINK_LOG_DIR/flink-$FLINK_IDENT_STRING-$DAEMON-$ID-$(hostname).lock" ]; do ID=$((ID + 1)); done
    LOG="$FLINK_LOG_DIR/flink-$FLINK_IDENT_STRING-$DAEMON-$ID-$(hostname).log"
    OUT="$FLINK_LOG_DIR/flink-$FLINK_IDENT_STRING-$DAEMON-$ID-$(hostname).out"
    : > "$LOG"
    echo "Starting $DAEMON daemon on host $(hostname)."
    FLINK_LOG_FILE="$LOG" nohup "$NODE" "$ENTRY" --configDir "$FLINK_CONF_DIR" "$@" > "$OUT" 2>&1 < /dev/null &
    PID=$!
    echo "$PID" >> "$PID_FILE"
    waited=0
    while true; do
      if grep -q '"ready":true' "$LOG" 2>/dev/null; then break; fi
      if ! is_running "$PID"; then
        echo "The $DAEMON daemon (pid: $PID) exited during start-up:" >&2
        { cat "$OUT"; grep -h '"level":[56]0' "$LOG" 2>/dev/null | tail -n 3 || true; } | tail -n 20 >&2 || true
        grep -v "^$PID\$" "$PID_FILE" > "$PID_FILE.tmp" || true; mv "$PID_FILE.tmp" "$PID_FILE"
        exit 1
      fi
      if [ $waited -ge $((READY_TIMEOUT * 10)) ]; then
        echo "The $DAEMON daemon (pid: $PID) did not become ready within $READY_TIMEOUT s; see $LOG." >&2
        exit 1
      fi
      sleep 0.1; waited=$((waited + 1))
    done
    ;;
  start-foreground)
    ensure_built "$ENTRY"
    mkdir -p "$FLINK_LOG_DIR"
    export FLINK_LOG_FILE="${FLINK_LOG_FILE:-$FLINK_LOG_DIR/flink-$FLINK_IDENT_STRING-$DAEMON-fg-$(hostname).log}"
    exec "$NODE" "$ENTRY" --configDir "$FLINK_CONF_DIR" --foreground "$@"
    ;;
  stop)
    PIDS=$(live_pids)
    if [ -z "$PIDS" ]; then
      echo "No $DAEMON daemon to stop on host $(hostname)."
      rm -f "$PID_FILE"
      exit 0
    fi
    LAST=$(echo "$PIDS" | tail -n 1)
    stop_pid "$LAST"
    echo "$PIDS" | grep -v "^$LAST\$" > "$PID_FILE.tmp" || true
    mv "$PID_FILE.tmp" "$PID_FILE"
    [ -s "$PID_FILE" ] || rm -f "$PID_FILE"
    ;;
  stop-all)
    PIDS=$(live_pids)
    if [ -z "$PIDS" ]; then echo "No $DAEMON daemon to stop on host $(hostname)."; fi
    for p in $PIDS; do stop_pid "$p"; done
    rm -f "$PID_FILE"
    ;;
  *) usage ;;
esac
