#!/usr/bin/env bash
# The README's first command: install, build, start a private PostgreSQL
# cluster and yaksokd, load the example pledge, print it, and leave the
# daemon running.  Safe to run again at any time: what runs is reused, the
# example is loaded only when the pledge is absent (an edited pledge is
# never overwritten), and it waits for a database or daemon that is still
# coming up instead of failing.
#
# Environment: YAKSOK_LISTEN (the daemon's address, default 127.0.0.1:7450;
# port 0 picks a free one), YAKSOK_PG_PORT (the private cluster's port, on a
# unix socket in the state directory; default 7451), YAKSOK_STATE_DIR (where
# the cluster, the daemon's log and the passwords live; default .yaksok in the
# checkout), YAKSOK_BIN (use the programs of this directory instead of
# installing packages and building: the tests' way).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
source scripts/lib/pg.sh

if [ -n "${YAKSOK_BIN:-}" ]; then
	BIN=$YAKSOK_BIN
else
	scripts/deps.sh
	cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DYAKSOK_TESTS=OFF >/dev/null
	cmake --build build -j"$(nproc)" >/dev/null
	BIN=$ROOT/build/bin
fi

STATE=$(scripts/lib/state-dir.sh)
PGDIR=$STATE/pg
PGPORT=${YAKSOK_PG_PORT:-7451}
LISTEN=${YAKSOK_LISTEN:-127.0.0.1:7450}
mkdir -p "$STATE"

if [ ! -d "$PGDIR/data" ]; then
	echo "creating a private PostgreSQL cluster in $PGDIR"
	yk_pg_init "$PGDIR" "$PGPORT"
elif ! yk_pg_running "$PGDIR"; then
	echo "starting PostgreSQL in $PGDIR"
	yk_pg_start "$PGDIR"
fi
yk_pg_upgrade_roles "$PGDIR" "$PGPORT"
CONNINFO=$(yk_pg_conninfo "$PGDIR" "$PGPORT")
OWNER_CONNINFO=$(yk_pg_owner_conninfo "$PGDIR" "$PGPORT")

# A password: made once, kept in the state directory, readable by us alone.
password_file() {
	local f=$STATE/passwords/$1
	if [ ! -s "$f" ]; then
		(umask 077; mkdir -p "$STATE/passwords"; head -c 18 /dev/urandom | base64 | tr -d '/+=' >"$f")
	fi
	echo "$f"
}
ADMIN_PW=$(password_file admin)
# (before 2026-12 the admin's password was kept here)
if [ -s "$STATE/admin-password" ] && ! cmp -s "$STATE/admin-password" "$ADMIN_PW"; then
	cp "$STATE/admin-password" "$ADMIN_PW"
fi

started=
pid=$(cat "$STATE/yaksokd.pid" 2>/dev/null || true)
if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
	echo "yaksokd is already running (pid $pid)"
else
	rm -f "$STATE/port"
	YAKSOK_ADMIN_PASSWORD=$(cat "$ADMIN_PW") \
		nohup "$BIN/yaksokd" --db "$CONNINFO" --db-owner "$OWNER_CONNINFO" --listen "$LISTEN" \
		--port-file "$STATE/port" >>"$STATE/yaksokd.log" 2>&1 </dev/null &
	echo $! >"$STATE/yaksokd.pid"
	echo "$LISTEN" >"$STATE/listen"
	started=1
fi
pid=$(cat "$STATE/yaksokd.pid")
# The address it serves on: the port it bound (LISTEN may say port 0).
if [ -n "$started" ]; then
	for _ in $(seq 1 600); do
		[ -s "$STATE/port" ] && break
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
fi
SERVER=$(cat "$STATE/listen" 2>/dev/null || echo "$LISTEN")
[ -s "$STATE/port" ] && SERVER="${SERVER%:*}:$(cat "$STATE/port")"
YK="$BIN/yaksok --server $SERVER"

# Ready means the daemon answers and its database does: after a restart of
# PostgreSQL alone the daemon reconnects on its own, with back-off.
said=
for _ in $(seq 1 1200); do
	$YK status >/dev/null 2>&1 && break
	if ! kill -0 "$pid" 2>/dev/null; then
		echo "yaksokd is not running; the end of its log ($STATE/yaksokd.log):" >&2
		tail -20 "$STATE/yaksokd.log" >&2
		exit 1
	fi
	[ -n "$said" ] || { echo "waiting for yaksokd and its database to be ready"; said=1; }
	sleep 0.1
done
$YK status

$YK login admin --password-stdin <"$ADMIN_PW" >/dev/null
$YK department add 정책기획과 >/dev/null 2>&1 || true

# The example, only when it is not there: a pledge that exists has been
# edited, approved or changed since, and is never overwritten.
rc=0
$YK get SW7-GOV-01 >/dev/null 2>&1 || rc=$?
if [ "$rc" = 3 ]; then
	$YK apply -f examples/suwon-governance.yaml
elif [ "$rc" != 0 ]; then
	$YK get SW7-GOV-01 >/dev/null # say why
fi

# Demo accounts, one per role, in the example's department; passwords in
# the state directory (mode 0600).  An account that exists is left alone.
made=
for acct in "demo-dept department 정책기획과" "demo-coordinator coordinator" "demo-evaluator evaluator" \
	"demo-approver approver" "demo-viewer viewer"; do
	set -- $acct
	login=$1 role=$2 dept=${3:-}
	pwf=$(password_file "$login")
	rc=0
	$YK user add "$login" --role "$role" ${dept:+--department "$dept"} --password-stdin <"$pwf" >/dev/null 2>&1 || rc=$?
	[ "$rc" = 0 ] && made=1
done

echo
$YK show SW7-GOV-01
cat <<MSG

yaksokd is running on $SERVER (pid $pid, log $STATE/yaksokd.log),
with PostgreSQL in $PGDIR.  You are logged in as admin.
Try:   build/bin/yaksok list
       build/bin/yaksok get SW7-GOV-01 -o json
       build/bin/yaksok show SW7-GOV-01 --format html > report.html
Stop:  scripts/stop.sh
MSG
if [ -n "$made" ]; then
	cat <<MSG

Accounts for every role were made (department staff of 정책기획과, coordinator,
evaluator, approver, viewer).  Log in as one of them with its password file:
       build/bin/yaksok login demo-dept --password-stdin < $STATE/passwords/demo-dept
and likewise demo-coordinator, demo-evaluator, demo-approver, demo-viewer;
build/bin/yaksok login admin --password-stdin < $STATE/passwords/admin
MSG
fi
