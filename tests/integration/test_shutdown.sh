#!/usr/bin/env bash
# SIGTERM at any moment ends the daemon with exit 0: 200 times, each
# after a different number of answered requests of a running load (reads and
# writes from four clients), the daemon drains and exits 0 -- never an abort
# (the pool was once closed twice when the last request and the last
# connection finished the drain in the other order).
source "$(dirname "$0")/lib.sh"
setup_all
EX=$YK_SRC/examples/suwon-governance.yaml
expect_rc 0 yk department add 정책기획과
expect_rc 0 yk apply -f "$EX"
PORT=$(cat "$T/port")
load() {  # one client: reads and writes until the daemon is gone
	local c=$1 n=0
	while [ ! -e "$T/stop" ]; do
		n=$((n + 1))
		yk get SW7-GOV-01 >/dev/null 2>&1
		yk progress add SW7-GOV-01 --indicator "협치 계획 수립" --text "종료 시험 $c-$n" >/dev/null 2>&1
		echo x >>"$T/served.$c"
	done
}
answered() { cat "$T"/served.* 2>/dev/null | wc -l; }
answered_at_least() { [ "$(answered)" -ge "$1" ]; }
ROUNDS=${SHUTDOWN_ROUNDS:-200}
for i in $(seq 1 "$ROUNDS"); do
	rm -f "$T/stop" "$T"/served.*
	pids=()
	for c in 1 2 3 4; do load "$c" & pids+=($!); done
	wait_until "the load to get $((i % 9)) answers" answered_at_least $((i % 9))
	kill -TERM "$DAEMON_PID"
	drc=0
	wait "$DAEMON_PID" || drc=$?
	DAEMON_PID=
	touch "$T/stop"
	wait "${pids[@]}"
	[ "$drc" = 0 ] || fail "round $i: yaksokd exited $drc after SIGTERM: $(grep -i 'assert\|abort\|error' "$T/yaksokd.log" | tail -3)"
	start_daemon --listen "127.0.0.1:$PORT"
done
pass "$ROUNDS SIGTERMs at different moments of a running load: each drained and exited 0"
