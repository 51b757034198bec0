#!/usr/bin/env bash
# Starts/stops the tsflink JobManager. Usage: jobmanager.sh (start|start-foreground|stop|stop-all) [-D key=value ...]
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/flink-daemon.sh" "${1:-}" standalonesession "${@:2}"
