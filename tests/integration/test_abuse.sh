#!/usr/bin/env bash
# Runs it_abuse (connection floods, the pre-login deadline, a client that does
# not read, malformed frames, a login flood) against a daemon with small limits.
source "$(dirname "$0")/lib.sh"
start_db
# The pre-login deadline gets a daemon of its own: with it short, it would
# race the other tests' slower cut-offs (filling the kernel's buffers under
# the sanitizers takes seconds).
start_daemon --login-timeout 2
YK_ADMIN_PW=$ADMIN_PW ABUSE_ONLY=test_login_deadline "$YK_BIN/it_abuse" || fail "it_abuse (login deadline)"
stop_daemon
# Memory: with the default limits, strangers pipelining without reading.
# (AddressSanitizer's quarantine would hold every freed answer and hide what
# stays pinned: this daemon frees at once.)
ASAN_OPTIONS=${ASAN_OPTIONS:-}:quarantine_size_mb=0 start_daemon
YK_ADMIN_PW=$ADMIN_PW YK_DAEMON_PID=$DAEMON_PID ABUSE_ONLY=test_unread_pipelines_pin_little "$YK_BIN/it_abuse" ||
	fail "it_abuse (unread pipelines)"
stop_daemon
ASAN_OPTIONS=${ASAN_OPTIONS:-}:quarantine_size_mb=0 start_daemon --send-buffer-total 16777216
YK_ADMIN_PW=$ADMIN_PW YK_DAEMON_PID=$DAEMON_PID ABUSE_ONLY=test_unread_pipelines_logged_in "$YK_BIN/it_abuse" ||
	fail "it_abuse (unread pipelines, logged in)"
stop_daemon
pass "unread pipelines pin little: before a login 64 KiB each, after it --send-buffer each and --send-buffer-total in all"
start_daemon --trusted-addrs 127.0.11.0/24
YK_ADMIN_PW=$ADMIN_PW YK_TRUSTED_TEST=1 ABUSE_ONLY=test_city_hall_behind_one_address "$YK_BIN/it_abuse" ||
	fail "it_abuse (150 staff behind one address)"
stop_daemon
pass "150 staff connecting at once from a trusted NAT address are served while strangers are held to 64 each"
start_daemon --hash-workers 1
YK_ADMIN_PW=$ADMIN_PW YK_HASH_TEST=1 ABUSE_ONLY=test_real_login_before_guesses "$YK_BIN/it_abuse" ||
	fail "it_abuse (a real login behind guesses)"
stop_daemon
pass "password guesses from many connections do not make a real login wait behind them"
start_daemon --max-conns 30 --max-conns-per-addr 8 --send-buffer 65536 --send-timeout 1
YK_ADMIN_PW=$ADMIN_PW ABUSE_SKIP=test_login_deadline "$YK_BIN/it_abuse" || fail "it_abuse"
for e in "reason=max_conns_per_addr" "reason=max_conns " "no login within --login-timeout" "event=send_stalled" \
	"peer closed mid-frame"; do
	grep -q -- "$e" "$T/yaksokd.log" || fail "not in the log: $e
$(grep -e 'peer=127\.0\.3\.' "$T/yaksokd.log" | grep -v 'event=request' | tail -20)"
done
pass "floods, deadlines, a client that does not read, malformed frames: each cut off, others served"
! grep -q "event=audit_failed" "$T/yaksokd.log" || fail "a refusal could not be audited: $(grep audit_failed "$T/yaksokd.log")"
[ "$(ykpsql -c "SELECT count(*) FROM audit_log WHERE outcome = 'refused' AND op IN ('department_add', 'pledge_update')")" -ge 2 ] || fail "the refused writes with invalid UTF-8 are not in the audit trail"
[ "$(ykpsql -c "SELECT count(*) FROM audit_log WHERE pledge_code LIKE 'SW7-%' AND outcome = 'refused'")" -ge 1 ] ||
	fail "the refused update's code is not in its audit row"
pass "writes with invalid UTF-8 are refused, audited, and answered in valid UTF-8"

# A connection refused for the server's load is tried again by the CLI, with
# growing waits, saying why: here the one connection allowed is held until
# the CLI has been refused once.
stop_daemon
start_daemon --max-conns 1
exec 3<>"/dev/tcp/127.0.0.1/$(cat "$T/port")"
( exec 3>&-; yk status >"$T/retry.out" 2>"$T/retry.err"; echo $? >"$T/retry.rc" ) &
RETRIER=$!
wait_until "the CLI to be refused and say it tries again" grep -q "too many connections.*trying again in" "$T/retry.err"
exec 3>&-
wait "$RETRIER"
[ "$(cat "$T/retry.rc")" = 0 ] || fail "the CLI did not get through after the refusal: $(cat "$T/retry.err")"
pass "a connection refused for load is retried by the CLI with back-off, saying why"
