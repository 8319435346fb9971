#!/usr/bin/env bash
# Stop what scripts/run.sh started: yaksokd, then its PostgreSQL cluster.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/pg.sh
STATE=$(scripts/lib/state-dir.sh)
pid=$(cat "$STATE/yaksokd.pid" 2>/dev/null || true)
if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
	kill -TERM "$pid"
	for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
	echo "yaksokd stopped"
fi
rm -f "$STATE/yaksokd.pid" "$STATE/port"
if [ -d "$STATE/pg/data" ]; then
	yk_pg_stop "$STATE/pg"
	echo "PostgreSQL stopped"
fi
