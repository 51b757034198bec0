#!/usr/bin/env bash
# Starts one JobManager here and one TaskManager per line of conf/workers
# (localhost: started here; other hosts: over ssh, as Flink does, with FLINK_HOME at the same path).
set -euo pipefail
BIN="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
. "$BIN/config.sh"

"$BIN/jobmanager.sh" start
WORKERS_FILE="$FLINK_CONF_DIR/workers"
if [ -f "$WORKERS_FILE" ]; then WORKERS=$(sed -E 's/#.*$//; s/^[[:space:]]+//; s/[[:space:]]+$//' "$WORKERS_FILE" | grep -v '^$' || true); else WORKERS=localhost; fi
for worker in $WORKERS; do
  if [ "$worker" = "localhost" ] || [ "$worker" = "127.0.0.1" ] || [ "$worker" = "$(hostname)" ]; then
    "$BIN/taskmanager.sh" start
  else
    ssh -n "$worker" "cd '$FLINK_HOME' && FLINK_CONF_DIR='$FLINK_CONF_DIR' '$BIN/taskmanager.sh' start"
  fi
done
