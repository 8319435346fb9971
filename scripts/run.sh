#!/usr/bin/env bash
# The README's first command: install, build, start a private PostgreSQL
# cluster and yaksokd, load the example pledge, print it, and leave the
# daemon running.  Safe to run again: what is running is reused.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
source scripts/lib/pg.sh

scripts/deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DYAKSOK_TESTS=OFF >/dev/null
cmake --build build -j"$(nproc)" >/dev/null

STATE=$(scripts/lib/state-dir.sh)
PGDIR=$STATE/pg
PGPORT=${YAKSOK_PG_PORT:-7451}
LISTEN=${YAKSOK_LISTEN:-127.0.0.1:7450}
YK="$ROOT/build/bin/yaksok --server $LISTEN"
mkdir -p "$STATE"

if [ ! -d "$PGDIR/data" ]; then
	echo "creating a private PostgreSQL cluster in $PGDIR"
	yk_pg_init "$PGDIR" "$PGPORT"
elif ! yk_pg_running "$PGDIR"; then
	yk_pg_start "$PGDIR"
fi
yk_pg_upgrade_roles "$PGDIR" "$PGPORT"
CONNINFO=$(yk_pg_conninfo "$PGDIR" "$PGPORT")
OWNER_CONNINFO=$(yk_pg_owner_conninfo "$PGDIR" "$PGPORT")

if [ ! -s "$STATE/admin-password" ]; then
	(umask 077; head -c 18 /dev/urandom | base64 | tr -d '/+=' >"$STATE/admin-password")
fi

pid=$(cat "$STATE/yaksokd.pid" 2>/dev/null || true)
if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
	echo "yaksokd is already running (pid $pid)"
else
	YAKSOK_ADMIN_PASSWORD=$(cat "$STATE/admin-password") \
		nohup "$ROOT/build/bin/yaksokd" --db "$CONNINFO" --db-owner "$OWNER_CONNINFO" --listen "$LISTEN" >>"$STATE/yaksokd.log" 2>&1 </dev/null &
	echo $! >"$STATE/yaksokd.pid"
	for _ in $(seq 1 100); do
		$YK status >/dev/null 2>&1 && break
		if ! kill -0 "$(cat "$STATE/yaksokd.pid")" 2>/dev/null; then
			echo "yaksokd did not start; its log:" >&2
			tail -20 "$STATE/yaksokd.log" >&2
			exit 1
		fi
		sleep 0.2
	done
fi
$YK status

$YK login admin --password-stdin <"$STATE/admin-password" >/dev/null
$YK department add 정책기획과 >/dev/null 2>&1 || true
if ! $YK apply -f examples/suwon-governance.yaml 2>/dev/null; then
	$YK apply --force -f examples/suwon-governance.yaml
fi
echo
$YK show SW7-GOV-01
cat <<MSG

yaksokd is running on $LISTEN (pid $(cat "$STATE/yaksokd.pid"), log $STATE/yaksokd.log),
with PostgreSQL in $PGDIR.  You are logged in as admin (password in $STATE/admin-password).
Try:   build/bin/yaksok list
       build/bin/yaksok get SW7-GOV-01 -o json
       build/bin/yaksok show SW7-GOV-01 --format html > report.html
Stop:  scripts/stop.sh
MSG
