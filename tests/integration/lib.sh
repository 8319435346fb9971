# Integration harness: source it from a test script.  It gives the test its
# own PostgreSQL cluster (unix socket in a fresh temp dir) and its own yaksokd
# on a free port, and tears both down when the script exits.  The daemon must
# then exit 0 after SIGTERM (under the sanitizers, that also means no leaks).
#
# Provides: yk (the CLI, as a client with its own config dir), expect_rc,
# fail, pass, login_admin, wait_until, hold_lock/release_lock, $T (the temp
# dir), $YK_SERVER, $YK_CONNINFO.
#
# Tests wait for conditions, never for time: a loaded machine makes them
# slower, not red.
set -uo pipefail

: "${YK_BIN:?YK_BIN (the bin directory of the build) must be set}"
: "${YK_SRC:?YK_SRC (the source tree) must be set}"
source "$YK_SRC/scripts/lib/pg.sh"

T=$(mktemp -d /tmp/yaksok-it.XXXXXX)
chmod 755 "$T"
ADMIN_PW=admin-secret-$$
FAILED=0
DAEMON_PID=

cleanup() {
	local rc=$?
	[ -e "$T/failed" ] && FAILED=1
	if [ -n "$DAEMON_PID" ] && kill -0 "$DAEMON_PID" 2>/dev/null; then
		kill -TERM "$DAEMON_PID"
		local drc=0
		wait "$DAEMON_PID" || drc=$?
		if [ "$drc" != 0 ]; then
			echo "FAIL: yaksokd exited $drc after SIGTERM" >&2
			rc=1
		fi
	fi
	if [ "$rc" != 0 ] || [ "$FAILED" != 0 ]; then
		echo "---- yaksokd log (last 40 lines) ----" >&2
		tail -40 "$T/yaksokd.log" >&2 2>/dev/null || true
	fi
	[ -n "${HOLD_PID:-}" ] && { touch "$T/hold.release"; wait "$HOLD_PID" 2>/dev/null; }
	yk_pg_stop "$T/pg"
	rm -rf "$T"
	[ "$FAILED" != 0 ] && rc=1
	exit "$rc"
}
trap cleanup EXIT

# Also from a subshell (the right side of a pipe): the marker file fails the
# test when the script ends, whatever exit status the subshell's exit loses.
fail() {
	echo "FAIL: $*" >&2
	FAILED=1
	touch "$T/failed"
	exit 1
}

pass() {
	echo "ok: $*"
}

start_db() {
	yk_pg_init "$T/pg" 5432 || fail "could not create the PostgreSQL cluster"
	YK_CONNINFO=$(yk_pg_conninfo "$T/pg" 5432)
	YK_OWNER_CONNINFO=$(yk_pg_owner_conninfo "$T/pg" 5432)
}

# psql as the daemon's database role
ykpsql() {
	psql -X -q -A -t -v ON_ERROR_STOP=1 "$YK_CONNINFO" "$@"
}

# PATH: the whole HTTP answer of the daemon's --metrics-listen (started
# with --metrics-listen 127.0.0.1:0; the port is read from its log)
scrape() {
	local port
	wait_until "the metrics listener" grep -q "event=metrics_listening" "$T/yaksokd.log"
	port=$(grep -o "event=metrics_listening addr=[^ ]* port=[0-9]*" "$T/yaksokd.log" | tail -1 | sed 's/.*port=//')
	exec 3<>"/dev/tcp/127.0.0.1/$port"
	printf 'GET %s HTTP/1.0\r\nHost: x\r\n\r\n' "$1" >&3
	cat <&3
	exec 3>&-
}
# SERIES: its value in $T/metrics (the body of a scrape of /metrics)
metric_value() { awk -v k="$1" '$1 == k { print $2 }' "$T/metrics"; }

start_daemon() {
	rm -f "$T/port"
	YAKSOK_ADMIN_PASSWORD=$ADMIN_PW "$YK_BIN/yaksokd" --db "$YK_CONNINFO" --db-owner "$YK_OWNER_CONNINFO" --listen 127.0.0.1:0 \
		--port-file "$T/port" "$@" >>"$T/yaksokd.log" 2>&1 &
	DAEMON_PID=$!
	for _ in $(seq 1 300); do
		[ -s "$T/port" ] && break
		kill -0 "$DAEMON_PID" 2>/dev/null || fail "yaksokd exited at start"
		sleep 0.1
	done
	[ -s "$T/port" ] || fail "yaksokd did not start listening"
	YK_SERVER=127.0.0.1:$(cat "$T/port")
	export YK_SERVER
	# It answers at once; the schema is brought up to date meanwhile.
	[ -n "${YK_NO_WAIT_READY:-}" ] && return 0
	for _ in $(seq 1 300); do
		"$YK_BIN/yaksok" --server "$YK_SERVER" status >/dev/null 2>&1 && return 0
		kill -0 "$DAEMON_PID" 2>/dev/null || fail "yaksokd exited at start"
		sleep 0.1
	done
	fail "yaksokd did not get its database ready"
}

stop_daemon() {
	kill -TERM "$DAEMON_PID"
	local drc=0
	wait "$DAEMON_PID" || drc=$?
	DAEMON_PID=
	[ "$drc" = 0 ] || fail "yaksokd exited $drc after SIGTERM"
}

# The CLI as one user: YK_USER picks a separate config dir per user.
yk() {
	XDG_CONFIG_HOME="$T/xdg-${YK_USER:-admin}" "$YK_BIN/yaksok" --server "$YK_SERVER" "$@"
}

# expect_rc N cmd...: run, and fail the test unless it exits N.
expect_rc() {
	local want=$1
	shift
	local got=0
	"$@" >"$T/out" 2>"$T/err" || got=$?
	if [ "$got" != "$want" ]; then
		echo "---- stdout ----" >&2; cat "$T/out" >&2
		echo "---- stderr ----" >&2; cat "$T/err" >&2
		fail "expected exit $want, got $got: $*"
	fi
}

login_admin() {
	echo "$ADMIN_PW" | YK_USER=admin yk login admin --password-stdin >/dev/null || fail "admin login"
}

# add_user LOGIN ROLE [DEPARTMENT]: the admin makes the account (password
# pw-LOGIN-secret) and it logs in under YK_USER=LOGIN.
add_user() {
	echo "pw-$1-secret" | expect_rc 0 yk user add "$1" --role "$2" ${3:+--department "$3"} --password-stdin
	echo "pw-$1-secret" | YK_USER=$1 expect_rc 0 yk login "$1" --password-stdin
}

# wait_until WHAT CMD...: poll CMD until it succeeds (at most two minutes,
# for a machine under load); fail naming WHAT if it never does.
wait_until() {
	local what=$1
	shift
	for _ in $(seq 1 2400); do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.05
	done
	fail "gave up waiting: $what"
}

# true when the SQL (a count or a boolean) says so
sql_true() {
	local v
	v=$(ykpsql -c "$1") || return 1
	[ "$v" = t ] || [ "$v" -gt 0 ] 2>/dev/null
}

# hold_lock SQL: a psql session of the test's own runs SQL (which takes a
# lock: LOCK TABLE ..., pg_advisory_lock(...)) in an open transaction, and
# this returns once PostgreSQL has granted it (as the daemon's role, or
# HOLD_CONNINFO's, e.g. the owner's).  release_lock ends the
# session, and with it the lock.  (The session waits for a file, not on a
# pipe: the test's background clients would inherit a pipe's end.)
hold_lock() {
	rm -f "$T/hold.release"
	psql -X -q -v ON_ERROR_STOP=1 "${HOLD_CONNINFO:-$YK_CONNINFO}" >/dev/null 2>"$T/hold.err" <<SQL &
SET application_name = 'yaksok_test_hold';
BEGIN;
$1;
\\! while [ ! -e "$T/hold.release" ]; do sleep 0.02; done
COMMIT;
SQL
	HOLD_PID=$!
	wait_until "the test's lock ($1)" sql_true "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a USING (pid)
		WHERE a.application_name = 'yaksok_test_hold' AND l.granted AND l.locktype IN ('relation', 'advisory')
		AND (l.locktype = 'advisory' OR l.mode = 'AccessExclusiveLock')"
}

release_lock() {
	touch "$T/hold.release"
	wait "$HOLD_PID" || fail "the lock holder failed: $(cat "$T/hold.err")"
	HOLD_PID=
}

# true while some backend waits for a lock (the daemon's statement behind the
# test's), optionally one whose query mentions $1
lock_waiter() {
	sql_true "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'
		AND application_name <> 'yaksok_test_hold' AND query LIKE '%${1:-}%'"
}

# Everything a test usually needs: cluster, daemon, admin logged in.
setup_all() {
	start_db
	start_daemon "$@"
	login_admin
}
