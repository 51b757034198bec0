#!/usr/bin/env bash
# One command from a fresh checkout to a running job and a savepoint:
# installs (pnpm via npm if needed), builds, starts a local cluster (1 JobManager,
# 1 TaskManager), submits the StatefulMapper example, triggers a savepoint and
# shows it. Stop the cluster afterwards with scripts/stop-cluster.sh.
set -euo pipefail
BIN="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$BIN/.."

PNPM_VERSION=$(node -p "require('./package.json').packageManager.split('@')[1]")
if ! command -v pnpm >/dev/null 2>&1; then
  echo "== Installing pnpm $PNPM_VERSION"
  npm i -g "pnpm@$PNPM_VERSION" >/dev/null
fi
echo "== Installing dependencies and building"
pnpm install --frozen-lockfile >/dev/null
pnpm build >/dev/null

echo "== Starting a local cluster"
"$BIN/start-cluster.sh"

echo "== Submitting the StatefulMapper example (the seed's job)"
OUT=$("$BIN/flink" run -d packages/examples/src/stateful-mapper.ts 200 2>&1)
echo "$OUT"
JOB_ID=$(echo "$OUT" | sed -n 's/^Job has been submitted with JobID \([0-9a-f]\{32\}\)$/\1/p')
[ -n "$JOB_ID" ] || { echo "The job was not submitted." >&2; exit 1; }

sleep 3
"$BIN/flink" list

echo "== Triggering a savepoint"
"$BIN/flink" savepoint "$JOB_ID"

echo
echo "The job keeps running. Try:"
echo "  scripts/flink cancel -s $JOB_ID            # cancel with a savepoint"
echo "  scripts/flink run -s <savepoint path> packages/examples/src/stateful-mapper.ts"
echo "  scripts/stop-cluster.sh                    # stop everything"
