#!/usr/bin/env bash
# Stops the TaskManagers of conf/workers and the JobManager started by start-cluster.sh.
set -euo pipefail
BIN="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
. "$BIN/config.sh"

WORKERS_FILE="$FLINK_CONF_DIR/workers"
if [ -f "$WORKERS_FILE" ]; then WORKERS=$(sed -E 's/#.*$//; s/^[[:space:]]+//; s/[[:space:]]+$//' "$WORKERS_FILE" | grep -v '^$' || true); else WORKERS=localhost; fi
LOCAL_DONE=no
for worker in $WORKERS; do
  if [ "$worker" = "localhost" ] || [ "$worker" = "127.0.0.1" ] || [ "$worker" = "$(hostname)" ]; then
    if [ "$LOCAL_DONE" = no ]; then "$BIN/taskmanager.sh" stop-all; LOCAL_DONE=yes; fi
  else
    ssh -n "$worker" "cd '$FLINK_HOME' && FLINK_CONF_DIR='$FLINK_CONF_DIR' '$BIN/taskmanager.sh' stop-all"
  fi
done
"$BIN/jobmanager.sh" stop-all
