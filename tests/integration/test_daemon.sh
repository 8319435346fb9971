#!/usr/bin/env bash
# The daemon's life: two daemons migrating one database at once, PostgreSQL
# going away and coming back, and SIGTERM draining requests that are still
# running (and giving up on them after --drain-ms).
source "$(dirname "$0")/lib.sh"
start_db

# Two daemons start together on an empty database: each migration runs once.
YAKSOK_ADMIN_PASSWORD=$ADMIN_PW "$YK_BIN/yaksokd" --db "$YK_CONNINFO" --db-owner "$YK_OWNER_CONNINFO" --listen 127.0.0.1:0 \
	--port-file "$T/port2" >>"$T/yaksokd2.log" 2>&1 &
SECOND=$!
start_daemon --db-wait-ms 1000
for _ in $(seq 1 100); do [ -s "$T/port2" ] && break; sleep 0.1; done
[ -s "$T/port2" ] || fail "second daemon did not start: $(cat "$T/yaksokd2.log")"
n_files=$(ls "$YK_SRC"/migrations/[0-9]*.sql | wc -l)
[ "$(ykpsql -c 'SELECT count(*) FROM schema_migrations')" = "$n_files" ] || fail "migrations recorded twice or missing"
[ "$(ykpsql -c 'SELECT count(*) FROM accounts')" = 1 ] || fail "two first admins"
kill -TERM "$SECOND"
wait "$SECOND" || fail "second daemon exited non-zero"
pass "concurrent start-up migrates once"

# Started by systemd (Type=notify): READY=1 once the schema is current,
# STOPPING=1 at SIGTERM.
"$YK_BIN/notify_listen" "$T/notify" >"$T/notify.out" 2>&1 &
LISTENER=$!
wait_until "the notification socket" test -S "$T/notify"
NOTIFY_SOCKET=$T/notify "$YK_BIN/yaksokd" --db "$YK_CONNINFO" --db-owner "$YK_OWNER_CONNINFO" --listen 127.0.0.1:0 \
	>>"$T/yaksokd3.log" 2>&1 &
THIRD=$!
wait_until "yaksokd to tell systemd it is ready" grep -q "^READY=1" "$T/notify.out"
grep -q "^STATUS=serving on 127.0.0.1:0" "$T/notify.out" || fail "no status for systemd: $(cat "$T/notify.out")"
kill -TERM "$THIRD"
wait "$THIRD" || fail "the notifying daemon exited non-zero"
grep -q "^STOPPING=1" "$T/notify.out" || fail "no STOPPING=1 at SIGTERM: $(cat "$T/notify.out")"
kill "$LISTENER"
pass "systemd's notify protocol: READY=1 when serving, STOPPING=1 at SIGTERM"

login_admin
expect_rc 0 yk department add 정책기획과
expect_rc 0 yk apply -f "$YK_SRC/examples/suwon-governance.yaml"

# PostgreSQL goes away: requests fail as unavailable, the daemon stays up.
yk_pg_stop "$T/pg"
expect_rc 7 yk status
grep -q "NOT reachable" "$T/out" || fail "status while the database is down: $(cat "$T/out")"
expect_rc 7 yk list
kill -0 "$DAEMON_PID" || fail "the daemon died with the database"
yk_pg_start "$T/pg"
ok=
for _ in $(seq 1 100); do
	if yk list >/dev/null 2>&1; then ok=1; break; fi
	sleep 0.1
done
[ -n "$ok" ] || fail "the daemon did not reconnect after PostgreSQL came back"
grep -q "event=db_conn_lost" "$T/yaksokd.log" || fail "lost connections were not logged"
pass "database down: exit 7; back up: reconnected"

# Until the daemon's statement is waiting on the test's lock: only then is the
# request surely in flight.
wait_blocked() {
	wait_until "the request to reach the database and wait on the lock" lock_waiter yk_pledge_filter
}

# SIGTERM while a request waits on a lock: the request finishes, then exit 0.
hold_lock "LOCK TABLE pledges IN ACCESS EXCLUSIVE MODE"
yk list >"$T/drain.out" 2>"$T/drain.err" &
CLIENT=$!
wait_blocked
kill -TERM "$DAEMON_PID"
wait_until "the daemon to start draining" grep -q 'event=signal signal=15 msg="draining"' "$T/yaksokd.log"
release_lock
crc=0
wait "$CLIENT" || crc=$?
[ "$crc" = 0 ] || fail "in-flight request failed during drain (exit $crc): $(cat "$T/drain.err")"
grep -q SW7-GOV-01 "$T/drain.out" || fail "in-flight request lost its answer"
drc=0
wait "$DAEMON_PID" || drc=$?
DAEMON_PID=
[ "$drc" = 0 ] || fail "daemon exited $drc after draining"
grep -q 'event=signal signal=15 msg="draining" inflight=1' "$T/yaksokd.log" || fail "drain did not see the request in flight"
pass "SIGTERM drains an in-flight request and exits 0"

# A request that outlives --drain-ms is given up; the daemon still exits 0.
start_daemon --drain-ms 300
login_admin
hold_lock "LOCK TABLE pledges IN ACCESS EXCLUSIVE MODE"
yk list >"$T/drain.out" 2>"$T/drain.err" &
CLIENT=$!
wait_blocked
kill -TERM "$DAEMON_PID"
drc=0
wait "$DAEMON_PID" || drc=$?
DAEMON_PID=
[ "$drc" = 0 ] || fail "daemon exited $drc after the drain timeout"
crc=0
wait "$CLIENT" || crc=$?
[ "$crc" = 7 ] || fail "a request cut off by the drain timeout should exit 7, got $crc: $(cat "$T/drain.err")"
grep -q "event=drain_timeout" "$T/yaksokd.log" || fail "drain timeout not logged"
release_lock
pass "drain timeout gives up on a stuck request and exits 0"

# Housekeeping: a day-old idempotency key and an expired session go away.
start_daemon
login_admin
acct=$(ykpsql -c "SELECT id FROM accounts WHERE login = 'admin'")
ykpsql -c "INSERT INTO idempotency_keys (account_id, key, request_hash, op, created_at)
	VALUES ($acct, 'old-key-000001', 'x', 'pledge_apply', now() - interval '2 days'),
	       ($acct, 'new-key-000001', 'x', 'pledge_apply', now())"
ykpsql -c "INSERT INTO sessions (token_hash, account_id, expires_at) VALUES (sha256('x'), $acct, now() - interval '1 hour')"
# (earlier daemons of this test may have logged passes of their own)
for _ in $(seq 1 150); do
	grep -q "event=housekeeping idempotency_keys_removed=1 sessions_removed=1" "$T/yaksokd.log" && break
	sleep 0.1
done
grep -q "event=housekeeping idempotency_keys_removed=1 sessions_removed=1" "$T/yaksokd.log" ||
	fail "housekeeping: $(grep housekeeping "$T/yaksokd.log")"
[ "$(ykpsql -c "SELECT string_agg(key, ',' ORDER BY key) FROM idempotency_keys WHERE key LIKE '%-key-000001'")" = new-key-000001 ] ||
	fail "the wrong keys were removed"
pass "housekeeping removes day-old idempotency keys and expired sessions"

# A daemon connecting as a superuser says that it should not.
stop_daemon
YK_CONNINFO_SAVED=$YK_CONNINFO
YK_CONNINFO="host=$T/pg port=5432 user=postgres dbname=yaksok"
start_daemon
grep -q "event=db_role_too_strong" "$T/yaksokd.log" || fail "no warning for a superuser connection"
stop_daemon
YK_CONNINFO=$YK_CONNINFO_SAVED
pass "a superuser connection is warned about"

# A database that does not make commits durable is refused: the daemon says
# why and exits 1 instead of acknowledging writes it could lose.
for setting in "fsync=off" "synchronous_commit=off"; do
	yk_pg_stop "$T/pg"
	yk_pg_as_owner "$(yk_pg_bindir)/pg_ctl" -D "$T/pg/data" -l "$T/pg/postgres.log" -o "-c $setting" -w start >/dev/null ||
		fail "PostgreSQL did not start with $setting"
	rc=0
	timeout 30 "$YK_BIN/yaksokd" --db "$YK_CONNINFO" --db-owner "$YK_OWNER_CONNINFO" --listen 127.0.0.1:0 \
		>"$T/unsafe.log" 2>&1 || rc=$?
	[ "$rc" = 1 ] || fail "with $setting the daemon exited $rc, not 1: $(tail -3 "$T/unsafe.log")"
	grep -q "event=unsafe_database setting=${setting%=*} value=off" "$T/unsafe.log" ||
		fail "no reason given for $setting: $(cat "$T/unsafe.log")"
done
yk_pg_stop "$T/pg"
yk_pg_start "$T/pg"
pass "fsync=off and synchronous_commit=off are refused (exit 1, reason logged)"
