#!/usr/bin/env bash
# Starts/stops a tsflink TaskManager. Usage: taskmanager.sh (start|start-foreground|stop|stop-all) [-D key=value ...]
# Running `start` N times starts N TaskManagers on this host (each picks free ports).
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/flink-daemon.sh" "${1:-}" taskexecutor "${@:2}"
