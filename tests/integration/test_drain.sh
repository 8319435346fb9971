#!/usr/bin/env bash
# Requests a client had sent but the daemon had not yet read when draining
# began are answered UNAVAILABLE ("the server is shutting down"), not dropped
# with the connection.
source "$(dirname "$0")/lib.sh"
setup_all --max-inflight 1
# (the owner's: the daemon's role may not lock its list of migrations)
HOLD_CONNINFO=$YK_OWNER_CONNINFO hold_lock "LOCK TABLE schema_migrations IN ACCESS EXCLUSIVE MODE"
"$YK_BIN/it_drain" >"$T/answers" &
CLIENT=$!
wait_until "the first status to wait on the lock" lock_waiter schema_migrations
kill -TERM "$DAEMON_PID"
wait_until "the daemon to start draining" grep -q 'msg="draining"' "$T/yaksokd.log"
release_lock
wait "$CLIENT" || fail "it_drain failed"
drc=0
wait "$DAEMON_PID" || drc=$?
DAEMON_PID=
[ "$drc" = 0 ] || fail "yaksokd exited $drc"
grep -qx "1 OK" "$T/answers" && grep -qx "2 OK" "$T/answers" || fail "hello and the first status: $(cat "$T/answers")"
grep -qx "3 UNAVAILABLE" "$T/answers" && grep -qx "4 UNAVAILABLE" "$T/answers" ||
	fail "the requests not yet read were not answered: $(cat "$T/answers")"
pass "requests not yet read when draining began are answered UNAVAILABLE"
